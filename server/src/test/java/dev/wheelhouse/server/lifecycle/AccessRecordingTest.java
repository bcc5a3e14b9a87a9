package dev.wheelhouse.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import dev.wheelhouse.storage.AccessCounts;
import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.MetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads are counted in memory and reach the store in batches, at the latest on shutdown. */
class AccessRecordingTest {
  @TempDir Path tmp;

  @Test
  void downloadsAreCountedPerFileAndKeptAcrossARestart() throws Exception {
    Path data = tmp.resolve("data");
    Path wheel = TestWheels.wheel(tmp, "counted", "1.0", "py3-none-any");
    String name = wheel.getFileName().toString();
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.upload(wheel, "counted", "1.0").statusCode()).isEqualTo(200);
      for (int i = 0; i < 3; i++) {
        assertThat(server.get("/files/local/counted/" + name).statusCode()).isEqualTo(200);
      }
      // HEAD and metadata are not downloads of the file.
      assertThat(server.send("HEAD", "/files/local/counted/" + name).statusCode()).isEqualTo(200);
      assertThat(server.get("/files/local/counted/" + name + ".metadata").statusCode())
          .isEqualTo(200);
    }
    try (MetadataStore meta = MetadataStore.open(data.resolve("meta"), Clock.systemUTC())) {
      Optional<AccessCounts> counts =
          meta.getAccess(new EntryRef.IndexFile("local", "counted", name));
      assertThat(counts).isPresent();
      assertThat(counts.get().hits()).isEqualTo(3);
    }
  }
}
