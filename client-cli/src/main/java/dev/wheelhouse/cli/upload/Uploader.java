package dev.wheelhouse.cli.upload;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.ServerHttp;
import dev.wheelhouse.cli.ServerReplies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/** Sends distributions to a server's legacy (twine-compatible) upload endpoint. */
final class Uploader {

  /** What the server said: its status code and its one-line reason. */
  record Answer(int status, String reason) {}

  private final HttpClient client;
  private final URI server;
  private final URI endpoint;
  private final Optional<String> token;

  /**
   * @param server the server's base URL, named in connection errors
   * @param endpoint the upload URL ({@code .../legacy/})
   */
  Uploader(URI server, URI endpoint, Optional<String> token) {
    this.server = server;
    this.endpoint = endpoint;
    this.token = token;
    this.client = ServerHttp.client();
  }

  /**
   * Uploads {@code distribution}, whose digests were computed just before, reporting the bytes sent
   * to {@code progress}. Throws {@link CommandFailure} when the server cannot be reached or the
   * connection breaks; any HTTP answer is returned.
   */
  Answer upload(Distribution distribution, FileDigests digests, LongConsumer progress)
      throws InterruptedException {
    return upload(distribution, digests, progress, form -> {});
  }

  /** As {@link #upload(Distribution, FileDigests, LongConsumer)}, with extra form parts. */
  Answer upload(
      Distribution distribution,
      FileDigests digests,
      LongConsumer progress,
      Consumer<MultipartForm> extraParts)
      throws InterruptedException {
    MultipartForm form =
        new MultipartForm()
            .field(":action", "file_upload")
            .field("protocol_version", "1")
            .field("name", distribution.name())
            .field("version", distribution.version())
            .field("filetype", distribution.filetype())
            .field("pyversion", distribution.pyversion())
            .field("metadata_version", distribution.metadata().metadataVersion())
            .field("sha256_digest", digests.sha256())
            .field("md5_digest", digests.md5())
            .field("blake2_256_digest", digests.blake2b256());
    // The server takes Requires-Python from a wheel itself, but from the form for an sdist.
    distribution.metadata().requiresPython().ifPresent(r -> form.field("requires_python", r));
    extraParts.accept(form);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .header("Content-Type", form.contentType())
            .header("User-Agent", "wheelhouse-cli")
            .POST(
                form.body(
                    "content",
                    distribution.filename(),
                    distribution.path(),
                    digests.size(),
                    progress));
    token.ifPresent(t -> request.header("Authorization", basic("__token__", t)));
    try {
      HttpResponse<InputStream> response =
          client.send(request.build(), BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        return new Answer(response.statusCode(), ServerReplies.reason(response, in, "upload"));
      }
    } catch (ConnectException e) {
      throw CommandFailure.failed(
          "cannot reach " + server + ": " + ServerReplies.connectProblem(e), e);
    } catch (HttpConnectTimeoutException e) {
      throw CommandFailure.failed("cannot reach " + server + ": connection timed out", e);
    } catch (UncheckedIOException e) {
      throw CommandFailure.failed(
          "upload failed: " + distribution.path() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      // The body supplier reports a file it cannot open as an UncheckedIOException.
      UncheckedIOException unreadable = ServerReplies.causeOfType(e, UncheckedIOException.class);
      if (unreadable != null) {
        throw CommandFailure.failed(
            "upload failed: " + distribution.path() + ": " + unreadable.getMessage(), e);
      }
      throw CommandFailure.failed(
          "upload failed: "
              + distribution.filename()
              + ": connection to "
              + server
              + " lost: "
              + ServerReplies.describe(e),
          e);
    }
  }

  private static String basic(String user, String password) {
    byte[] credentials = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(credentials);
  }
}
