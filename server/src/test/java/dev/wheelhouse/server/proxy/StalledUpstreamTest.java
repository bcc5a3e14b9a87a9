package dev.wheelhouse.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.wheelhouse.server.testing.MultipartUpload;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upstream that stops sending mid-body: the download is ended after the read timeout. */
class StalledUpstreamTest {
  @TempDir Path data;
  @TempDir Path work;

  @Test
  void aStalledUpstreamBodyFailsTheDownloadAndALaterOneSucceeds() throws Exception {
    Path wheel = TestWheels.wheel(work, "stuck", "1.0", "py3-none-any");
    byte[] bytes = Files.readAllBytes(wheel);
    String sha = MultipartUpload.hex("SHA-256", bytes);
    AtomicInteger fileRequests = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    HttpServer upstream =
        HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    upstream.setExecutor(Executors.newCachedThreadPool());
    upstream.createContext(
        "/simple/stuck/",
        exchange -> {
          byte[] page =
              ("<a href=\"/files/stuck-1.0-py3-none-any.whl#sha256=" + sha + "\">x</a>")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html");
          exchange.sendResponseHeaders(200, page.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(page);
          }
        });
    upstream.createContext(
        "/files/",
        exchange -> {
          boolean first = fileRequests.incrementAndGet() == 1;
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            if (first) {
              // Half the body, then silence until the test ends.
              out.write(bytes, 0, bytes.length / 2);
              out.flush();
              release.await();
            } else {
              out.write(bytes);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    upstream.start();
    try (TestServer server =
        TestServer.startWithIndexes(
            data,
            "indexes:\n"
                + "  - name: pypi\n    type: proxy\n"
                + "    url: http://127.0.0.1:"
                + upstream.getAddress().getPort()
                + "/simple/\n"
                + "    read-timeout: 1s\n"
                + "default-index: pypi\n")) {
      String url = "/files/pypi/stuck/stuck-1.0-py3-none-any.whl";
      HttpResponse<byte[]> stalled = server.get(url);
      assertThat(stalled.statusCode()).isEqualTo(502);
      assertThat(new String(stalled.body(), StandardCharsets.UTF_8)).contains("sent nothing");
      HttpResponse<byte[]> retried = server.get(url);
      assertThat(retried.statusCode()).isEqualTo(200);
      assertThat(MultipartUpload.hex("SHA-256", retried.body())).isEqualTo(sha);
      assertThat(fileRequests.get()).isEqualTo(2);
    } finally {
      release.countDown();
      upstream.stop(0);
    }
  }
}
