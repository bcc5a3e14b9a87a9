package dev.wheelhouse.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import dev.wheelhouse.server.testing.UpstreamIndex;
import dev.wheelhouse.server.testing.UpstreamTree;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code X-Wheelhouse-Cache}: hit when the bytes were stored, miss when fetched for the request.
 */
class CacheStateHeaderTest {
  @TempDir Path work;
  UpstreamIndex upstream;
  TestServer server;
  Path proxied;
  Path proxiedForHead;

  @BeforeEach
  void start() throws Exception {
    UpstreamTree tree = UpstreamTree.in(work.resolve("up"));
    proxied = TestWheels.wheel(work.resolve("a"), "alpha", "1.0", "py3-none-any");
    proxiedForHead = TestWheels.wheel(work.resolve("b"), "alpha", "2.0", "py3-none-any");
    tree.add("alpha", proxied).add("alpha", proxiedForHead);
    upstream = UpstreamIndex.start(tree);
    server =
        TestServer.startWithIndexes(
            work.resolve("data"), TestServer.hostedAndProxyIndexes(upstream.simpleUrl()));
  }

  @AfterEach
  void stop() {
    server.close();
    upstream.close();
  }

  @Test
  void aProxiedFileIsAMissFirstThenAHit() throws Exception {
    String url = "/files/pypi/alpha/" + proxied.getFileName();

    HttpResponse<byte[]> first = server.get(url);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo(Files.readAllBytes(proxied));
    assertThat(first.headers().firstValue("X-Wheelhouse-Cache")).contains("miss");

    HttpResponse<byte[]> second = server.get(url);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("X-Wheelhouse-Cache")).contains("hit");
    HttpResponse<byte[]> head = server.send("HEAD", url);
    assertThat(head.headers().firstValue("X-Wheelhouse-Cache")).contains("hit");
    HttpResponse<byte[]> notModified =
        server.get(url, "If-None-Match", second.headers().firstValue("ETag").orElseThrow());
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.headers().firstValue("X-Wheelhouse-Cache")).contains("hit");
    assertThat(upstream.fileRequests(proxied.getFileName().toString())).isEqualTo(1);
  }

  @Test
  void aHeadThatFetchesIsAMiss() throws Exception {
    String url = "/files/pypi/alpha/" + proxiedForHead.getFileName();

    HttpResponse<byte[]> head = server.send("HEAD", url);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("X-Wheelhouse-Cache")).contains("miss");
    assertThat(server.get(url).headers().firstValue("X-Wheelhouse-Cache")).contains("hit");
  }

  @Test
  void hostedFilesAreHits() throws Exception {
    Path wheel = TestWheels.wheel(work.resolve("h"), "hosted", "1.0", "py3-none-any");
    assertThat(server.upload(wheel, "hosted", "1.0").statusCode()).isEqualTo(200);
    String url = "/files/local/hosted/" + wheel.getFileName();

    for (String method : new String[] {"GET", "HEAD"}) {
      HttpResponse<byte[]> answer = server.send(method, url);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("X-Wheelhouse-Cache")).as(method).contains("hit");
    }
    HttpResponse<byte[]> metadata = server.get(url + ".metadata");
    assertThat(metadata.headers().firstValue("X-Wheelhouse-Cache")).contains("hit");
  }
}
