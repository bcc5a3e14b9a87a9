package dev.wheelhouse.cli.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelhouse.packaging.CoreMetadata;
import dev.wheelhouse.server.testing.TestWheels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveMetadataTest {
  @TempDir Path dir;

  @Test
  void readsTheWheelsMetadata() throws IOException {
    Path wheel =
        TestWheels.wheel(
            dir,
            "tinypkg",
            "0.1",
            "py3-none-any",
            Map.of(),
            Map.of(
                "tinypkg-0.1.dist-info/METADATA",
                """
                Metadata-Version: 2.3
                Name: TinyPkg
                Version: 0.1
                Requires-Python: >=3.9

                Metadata-Version: 9
                """));

    CoreMetadata metadata = ArchiveMetadata.read(wheel, true);

    assertThat(metadata.metadataVersion()).isEqualTo("2.3");
    assertThat(metadata.name()).isEqualTo("TinyPkg");
    assertThat(metadata.requiresPython()).contains(">=3.9");
  }

  @Test
  void readsTheSdistsPkgInfoAfterOtherEntries() throws IOException {
    Path sdist =
        TestWheels.sdist(
            dir,
            "tinypkg",
            "0.1",
            Map.of(
                "src/tinypkg/__init__.py",
                "x = 1\n".repeat(500),
                "PKG-INFO",
                "Metadata-Version: 2.2\nName: tinypkg\nVersion: 0.1\n"));

    assertThat(ArchiveMetadata.read(sdist, false).metadataVersion()).isEqualTo("2.2");
  }

  @Test
  void readsAZipSdist() throws IOException {
    Path sdist = dir.resolve("tinypkg-0.1.zip");
    try (OutputStream out = Files.newOutputStream(sdist);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("tinypkg-0.1/PKG-INFO"));
      zip.write(
          "Metadata-Version: 1.2\nName: tinypkg\nVersion: 0.1\n".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }

    assertThat(ArchiveMetadata.read(sdist, false).metadataVersion()).isEqualTo("1.2");
  }

  @Test
  void wheelWithoutMetadataIsRefused() throws IOException {
    Path wheel = dir.resolve("empty-1.0-py3-none-any.whl");
    try (OutputStream out = Files.newOutputStream(wheel);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("empty/__init__.py"));
      zip.closeEntry();
    }

    assertThatThrownBy(() -> ArchiveMetadata.read(wheel, true))
        .hasMessage("no *.dist-info/METADATA in the archive");
  }

  @Test
  void metadataWithoutVersionIsRefused() throws IOException {
    Path wheel =
        TestWheels.wheel(
            dir,
            "tinypkg",
            "0.1",
            "py3-none-any",
            Map.of(),
            Map.of("tinypkg-0.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: tinypkg\n"));

    assertThatThrownBy(() -> ArchiveMetadata.read(wheel, true)).hasMessageContaining("Version");
  }

  @Test
  void sdistThatIsNotGzipIsRefused() throws IOException {
    Path sdist = Files.writeString(dir.resolve("bad-1.0.tar.gz"), "plain text");

    assertThatThrownBy(() -> ArchiveMetadata.read(sdist, false))
        .hasMessageStartingWith("not a valid .tar.gz archive");
  }
}
