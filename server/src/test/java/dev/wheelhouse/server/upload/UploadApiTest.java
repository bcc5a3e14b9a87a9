package dev.wheelhouse.server.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.MultipartUpload;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UploadApiTest {
  @TempDir Path root;
  @TempDir Path work;
  Path data;
  TestServer server;
  Path wheel;

  @BeforeEach
  void start() throws Exception {
    data = root.resolve("data");
    server = TestServer.start(data, "  max-size: 200kB\n");
    wheel = TestWheels.wheel(work, "upme", "1.0", "py3-none-any");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  MultipartUpload upload() throws IOException {
    return MultipartUpload.of(wheel, "upme", "1.0").token(TestServer.UPLOAD_TOKEN);
  }

  @Test
  void storesThenAcceptsIdenticalReupload() throws Exception {
    HttpResponse<String> first = upload().post(server.url() + "/legacy/");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    HttpResponse<String> again = upload().post(server.url() + "/legacy/");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("already exists");
    assertThat(server.get("/simple/upme/").statusCode()).isEqualTo(200);
  }

  @Test
  void acceptsUploadsWithoutTrailingSlashAndToNamedIndexes() throws Exception {
    assertThat(upload().post(server.url() + "/legacy").statusCode()).isEqualTo(200);
    assertThat(upload().post(server.url() + "/index/extra/legacy/").statusCode()).isEqualTo(200);
    assertThat(server.get("/index/extra/simple/upme/").statusCode()).isEqualTo(200);
  }

  @Test
  void sameNameDifferentBytesIs409AndKeepsTheFirst() throws Exception {
    assertThat(upload().post(server.url() + "/legacy/").statusCode()).isEqualTo(200);
    byte[] original = server.get("/files/local/upme/upme-1.0-py3-none-any.whl").body();
    Path other =
        TestWheels.wheel(
            work.resolve(mkdir("other")),
            "upme",
            "1.0",
            "py3-none-any",
            Map.of("Summary2", "changed"));
    HttpResponse<String> conflict =
        MultipartUpload.of(other, "upme", "1.0")
            .token(TestServer.UPLOAD_TOKEN)
            .post(server.url() + "/legacy/");
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.body()).contains("already exists");
    assertThat(server.get("/files/local/upme/upme-1.0-py3-none-any.whl").body())
        .isEqualTo(original);
  }

  @Test
  void credentialsAreChecked() throws Exception {
    HttpResponse<String> none =
        MultipartUpload.of(wheel, "upme", "1.0").post(server.url() + "/legacy/");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .contains("Basic realm=\"wheelhouse\"");
    HttpResponse<String> wrong =
        MultipartUpload.of(wheel, "upme", "1.0").token("wh_wrong").post(server.url() + "/legacy/");
    assertThat(wrong.statusCode()).isEqualTo(403);
    HttpResponse<String> readOnly =
        MultipartUpload.of(wheel, "upme", "1.0")
            .token(TestServer.READ_TOKEN)
            .post(server.url() + "/legacy/");
    assertThat(readOnly.statusCode()).isEqualTo(403);
    assertThat(readOnly.body()).contains("upload role");
    assertNothingStored();
  }

  @Test
  void tooLargeIs413() throws Exception {
    byte[] big = new byte[300_000];
    new java.util.Random(1).nextBytes(big);
    Path large =
        TestWheels.wheel(
            work,
            "bigone",
            "1.0",
            "py3-none-any",
            Map.of("X-Blob", java.util.HexFormat.of().formatHex(big)));
    HttpResponse<String> response =
        MultipartUpload.of(large, "bigone", "1.0")
            .token(TestServer.UPLOAD_TOKEN)
            .post(server.url() + "/legacy/");
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("limit");
    assertNothingStored();
  }

  @Test
  void digestMismatchesAre400() throws Exception {
    String zeros = "0".repeat(64);
    assertRejected(upload().field("sha256_digest", zeros), 400, "sha256_digest does not match");
    assertRejected(upload().field("md5_digest", "0".repeat(32)), 400, "md5_digest does not match");
    assertRejected(
        upload().field("blake2_256_digest", zeros), 400, "blake2_256_digest does not match");
    assertRejected(upload().field("sha256_digest", "ABC"), 400, "lowercase hex");
  }

  @Test
  void correctBlake2DigestIsAccepted() throws Exception {
    org.bouncycastle.crypto.digests.Blake2bDigest blake =
        new org.bouncycastle.crypto.digests.Blake2bDigest(256);
    byte[] bytes = Files.readAllBytes(wheel);
    blake.update(bytes, 0, bytes.length);
    byte[] out = new byte[32];
    blake.doFinal(out, 0);
    HttpResponse<String> response =
        upload()
            .field("blake2_256_digest", java.util.HexFormat.of().formatHex(out))
            .post(server.url() + "/legacy/");
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void formFieldsMustAgreeWithTheFile() throws Exception {
    assertRejected(upload().field(":action", "submit"), 400, ":action");
    assertRejected(upload().field("protocol_version", "2"), 400, "protocol_version");
    assertRejected(upload().field("name", "other"), 400, "does not match");
    assertRejected(upload().field("version", "2.0"), 400, "does not match");
    assertRejected(upload().field("filetype", "sdist"), 400, "filetype");
    assertRejected(upload().filename(null), 400, "'content' field");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../upme-1.0-py3-none-any.whl",
        "..%2Fupme-1.0-py3-none-any.whl",
        "/etc/upme-1.0-py3-none-any.whl",
        "sub/upme-1.0-py3-none-any.whl",
        "upme-1.0-py3-none-any.whl\u0000.txt",
        "upme-1.0.exe",
        "upme.whl",
        "..",
      })
  void badFilenamesAre400(String filename) throws Exception {
    HttpResponse<String> response =
        upload()
            .without("name")
            .without("version")
            .filename(filename)
            .post(server.url() + "/legacy/");
    assertThat(response.statusCode()).isEqualTo(400);
    assertNothingStored();
  }

  @Test
  void wheelContentsAreValidated() throws Exception {
    Path notZip = work.resolve("upme-1.0-py3-none-any.whl");
    Files.writeString(notZip, "not a zip at all");
    assertRejected(
        MultipartUpload.of(notZip, "upme", "1.0").token(TestServer.UPLOAD_TOKEN), 400, "zip");

    Path noMetadata = zip("upme-1.0-py3-none-any.whl", Map.of("upme/__init__.py", ""));
    assertRejected(
        MultipartUpload.of(noMetadata, "upme", "1.0").token(TestServer.UPLOAD_TOKEN),
        400,
        "METADATA");

    Path wrongName =
        zip(
            "upme-1.0-py3-none-any.whl",
            Map.of(
                "upme-1.0.dist-info/METADATA",
                "Metadata-Version: 2.1\nName: other\nVersion: 1.0\n"));
    assertRejected(
        MultipartUpload.of(wrongName, "upme", "1.0").token(TestServer.UPLOAD_TOKEN), 400, "Name");

    Path wrongVersion =
        zip(
            "upme-1.0-py3-none-any.whl",
            Map.of(
                "upme-1.0.dist-info/METADATA",
                "Metadata-Version: 2.1\nName: upme\nVersion: 1.1\n"));
    assertRejected(
        MultipartUpload.of(wrongVersion, "upme", "1.0").token(TestServer.UPLOAD_TOKEN),
        400,
        "Version");

    Path slip =
        zip(
            "upme-1.0-py3-none-any.whl",
            Map.of(
                "upme-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: upme\nVersion: 1.0\n",
                "../../etc/evil", "x"));
    assertRejected(
        MultipartUpload.of(slip, "upme", "1.0").token(TestServer.UPLOAD_TOKEN), 400, "unsafe path");
  }

  @Test
  void sdistsAreAcceptedAndCheckedAsGzip() throws Exception {
    Path broken = work.resolve("upme-2.0.tar.gz");
    Files.writeString(broken, "definitely not gzip");
    assertRejected(
        MultipartUpload.of(broken, "upme", "2.0").token(TestServer.UPLOAD_TOKEN), 400, "gzip");

    Path sdist = TestWheels.sdist(work, "upme", "1.0");
    HttpResponse<String> ok =
        MultipartUpload.of(sdist, "upme", "1.0")
            .field("requires_python", ">=3.9")
            .token(TestServer.UPLOAD_TOKEN)
            .post(server.url() + "/legacy/");
    assertThat(ok.statusCode()).isEqualTo(200);
    String page = new String(server.get("/simple/upme/").body(), StandardCharsets.UTF_8);
    assertThat(page)
        .contains("upme-1.0.tar.gz#sha256=")
        .contains("data-requires-python=\"&gt;=3.9\"");
  }

  @Test
  void uploadsToGroupsOrUnknownIndexesAreRefused() throws Exception {
    HttpResponse<String> group = upload().post(server.url() + "/index/all/legacy/");
    assertThat(group.statusCode()).isEqualTo(400);
    assertThat(group.body()).contains("hosted");
    assertThat(upload().post(server.url() + "/index/nope/legacy/").statusCode()).isEqualTo(404);
    assertNothingStored();
  }

  private void assertRejected(MultipartUpload upload, int status, String reason) throws Exception {
    HttpResponse<String> response = upload.post(server.url() + "/legacy/");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains(reason);
    assertNothingStored();
  }

  /** No blob, no project, no leftover temp file, nothing next to the data directory. */
  private void assertNothingStored() throws Exception {
    assertThat(blobFiles()).isEmpty();
    assertThat(server.get("/simple/upme/").statusCode()).isEqualTo(404);
    try (Stream<Path> siblings = Files.list(root)) {
      assertThat(siblings.map(p -> p.getFileName().toString()).toList()).containsExactly("data");
    }
  }

  private List<Path> blobFiles() throws IOException {
    Path blobs = data.resolve("blobs");
    if (!Files.exists(blobs)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(blobs)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  private Path mkdir(String name) throws IOException {
    return Files.createDirectories(work.resolve(name)).getFileName();
  }

  private Path zip(String name, Map<String, String> entries) throws IOException {
    Path dir = Files.createDirectories(work.resolve("zips-" + System.nanoTime()));
    Path file = dir.resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return file;
  }
}
