package dev.wheelhouse.cli.prewarm;

import dev.wheelhouse.cli.ServerReplies;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Downloads files through the server so that it caches them, streaming each into a sha256 digest:
 * the bytes are checked and dropped, never held or written.
 */
final class Downloads {
  static final String CACHE_HEADER = "X-Wheelhouse-Cache";

  private static final int BUFFER_SIZE = 64 * 1024;

  private final IndexServer server;

  Downloads(IndexServer server) {
    this.server = server;
  }

  /**
   * What one download gave.
   *
   * @param sha256 the sha256 of the bytes received, when the whole file arrived
   * @param cacheHit whether the server answered from its cache ({@value #CACHE_HEADER}: hit)
   * @param problem why the file is not usable: an HTTP error, a broken connection, a wrong hash
   */
  record Downloaded(Optional<String> sha256, boolean cacheHit, Optional<String> problem) {
    static Downloaded failed(String problem) {
      return new Downloaded(Optional.empty(), false, Optional.of(problem));
    }

    boolean succeeded() {
      return problem.isEmpty();
    }
  }

  /**
   * Downloads {@code url} and checks its sha256 against {@code expectedSha256} (lowercase hex) when
   * the index gave one. Never throws for a failed download; the result says why.
   */
  Downloaded download(URI url, Optional<String> expectedSha256) throws InterruptedException {
    try {
      HttpResponse<InputStream> response =
          server.client().send(server.get(url).build(), BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          return Downloaded.failed(
              "download failed: "
                  + response.statusCode()
                  + " "
                  + ServerReplies.reason(response, in, "file"));
        }
        String actual = sha256(in);
        if (expectedSha256.isPresent() && !expectedSha256.get().equals(actual)) {
          return Downloaded.failed(
              "sha256 mismatch: the index lists "
                  + expectedSha256.get()
                  + ", the server sent "
                  + actual);
        }
        boolean hit =
            response
                .headers()
                .firstValue(CACHE_HEADER)
                .map(value -> value.strip().toLowerCase(Locale.ROOT).equals("hit"))
                .orElse(false);
        return new Downloaded(Optional.of(actual), hit, Optional.empty());
      }
    } catch (ConnectException e) {
      return Downloaded.failed(
          "download failed: cannot reach "
              + url.getRawAuthority()
              + ": "
              + ServerReplies.connectProblem(e));
    } catch (HttpConnectTimeoutException e) {
      return Downloaded.failed(
          "download failed: cannot reach " + url.getRawAuthority() + ": connection timed out");
    } catch (IOException | IllegalArgumentException e) {
      // IllegalArgumentException: a link the HTTP client cannot follow (say, not http/https).
      return Downloaded.failed("download failed: " + ServerReplies.describe(e));
    }
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    byte[] buffer = new byte[BUFFER_SIZE];
    for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
