package dev.wheelhouse.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.MultipartUpload;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import dev.wheelhouse.storage.ConsistencyCheck;
import dev.wheelhouse.storage.ConsistencyReport;
import dev.wheelhouse.storage.FileBlobStore;
import dev.wheelhouse.storage.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while several uploads are in flight (some complete, some half-sent), then a restart: no
 * partial blob is visible, no metadata names a missing blob, and every acknowledged upload is
 * intact.
 */
class CrashDuringUploadsTest {
  @TempDir Path work;

  @Test
  void killMinusNineMidUploadLeavesAConsistentStore() throws Exception {
    Path data = work.resolve("data");
    Path config = work.resolve("wheelhouse.yaml");
    Files.writeString(config, TestServer.configYaml(data, ""));
    Path portFile = work.resolve("port");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.wheelhouse.server.testing.ChildServer",
                config.toString(),
                portFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("child.log").toFile())
            .start();
    CountDownLatch neverReleased = new CountDownLatch(1);
    Map<String, String> acknowledged = new java.util.HashMap<>();
    try {
      String url = "http://127.0.0.1:" + awaitPort(child, portFile);

      // Complete uploads: acknowledged ones must survive the crash.
      for (int i = 0; i < 5; i++) {
        Path wheel = TestWheels.wheel(dir("done" + i), "done" + i, "1.0", "py3-none-any");
        HttpResponse<String> r =
            MultipartUpload.of(wheel, "done" + i, "1.0")
                .token(TestServer.UPLOAD_TOKEN)
                .post(url + "/legacy/");
        assertThat(r.statusCode()).isEqualTo(200);
        acknowledged.put("done" + i, MultipartUpload.hex("SHA-256", Files.readAllBytes(wheel)));
      }

      // Uploads stalled halfway: the server holds half a body in its temp directory.
      List<CompletableFuture<HttpResponse<String>>> stalled = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Path wheel =
            TestWheels.wheel(
                dir("half" + i),
                "half" + i,
                "1.0",
                "py3-none-any",
                Map.of("X-Noise", noise(2_000_000, i)));
        stalled.add(stallingUpload(url, wheel, "half" + i, neverReleased));
      }
      awaitPartialTempFiles(data.resolve("tmp"), 3);

      child.destroyForcibly(); // SIGKILL on Linux
      assertThat(child.waitFor()).isNotZero();
      neverReleased.countDown();
      // No half-sent upload was ever acknowledged.
      for (CompletableFuture<HttpResponse<String>> upload : stalled) {
        assertThat(upload).failsWithin(Duration.ofSeconds(30));
      }
    } finally {
      neverReleased.countDown();
      child.destroyForcibly();
    }

    // Before any server runs again: the stores themselves must be consistent.
    try (FileBlobStore blobs = FileBlobStore.open(data);
        MetadataStore metadata = MetadataStore.open(data.resolve("meta"), Clock.systemUTC())) {
      ConsistencyReport report = ConsistencyCheck.run(metadata, blobs);
      assertThat(report.danglingFiles()).isEmpty();
      assertThat(report.danglingBlobRecords()).isEmpty();
      assertThat(report.filesChecked()).isEqualTo(5);
      try (Stream<Path> tmp = Files.list(blobs.tempDir())) {
        assertThat(tmp.toList()).as("temp files swept at open").isEmpty();
      }
    }

    try (TestServer restarted = TestServer.start(data)) {
      for (int i = 0; i < 5; i++) {
        HttpResponse<byte[]> file =
            restarted.get("/files/local/done" + i + "/done" + i + "-1.0-py3-none-any.whl");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(MultipartUpload.hex("SHA-256", file.body()))
            .isEqualTo(acknowledged.get("done" + i));
      }
      for (int i = 0; i < 3; i++) {
        assertThat(restarted.get("/simple/half" + i + "/").statusCode()).isEqualTo(404);
      }
    }
  }

  private Path dir(String name) throws IOException {
    return Files.createDirectories(work.resolve(name));
  }

  private static String noise(int bytes, int seed) {
    byte[] raw = new byte[bytes];
    new Random(seed).nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  /** Sends the first half of a multipart upload, then blocks until the latch opens. */
  private static CompletableFuture<HttpResponse<String>> stallingUpload(
      String url, Path wheel, String name, CountDownLatch latch) throws IOException {
    String boundary = "----stall" + name;
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\":action\"\r\n\r\nfile_upload\r\n"
                + "--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\""
                + wheel.getFileName()
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] file = Files.readAllBytes(wheel);
    byte[] firstHalf = new byte[head.length + file.length / 2];
    System.arraycopy(head, 0, firstHalf, 0, head.length);
    System.arraycopy(file, 0, firstHalf, head.length, file.length / 2);
    InputStream body =
        new InputStream() {
          int position;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (position >= firstHalf.length) {
              try {
                latch.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new IOException("upload abandoned");
            }
            int n = Math.min(len, firstHalf.length - position);
            System.arraycopy(firstHalf, position, b, off, n);
            position += n;
            return n;
          }
        };
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/legacy/"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .header("Authorization", "Bearer " + TestServer.UPLOAD_TOKEN)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
            .build();
    return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private static int awaitPort(Process child, Path portFile) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!Files.exists(portFile)) {
      assertThat(child.isAlive()).as("child server exited early").isTrue();
      assertThat(Instant.now()).as("child server start").isBefore(deadline);
      Thread.sleep(50);
    }
    return Integer.parseInt(Files.readString(portFile).trim());
  }

  private static void awaitPartialTempFiles(Path tmp, int count) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      long partial;
      try (Stream<Path> files = Files.list(tmp)) {
        partial = files.filter(f -> f.toFile().length() > 500_000).count();
      }
      if (partial >= count) {
        return;
      }
      assertThat(Instant.now()).as("half-sent uploads reaching the server").isBefore(deadline);
      Thread.sleep(50);
    }
  }
}
