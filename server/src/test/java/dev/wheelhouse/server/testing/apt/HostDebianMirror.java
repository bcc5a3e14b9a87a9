package dev.wheelhouse.server.testing.apt;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Debian mirror this machine's own apt uses, read from {@code /etc/apt/sources.list.d/} at run
 * time so that no mirror host is ever written into the repository.
 */
public final class HostDebianMirror {
  public static final Path SOURCES_DIR = Path.of("/etc/apt/sources.list.d");
  public static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");

  private HostDebianMirror() {}

  /** The first http URI of a deb822 sources stanza for {@code suite} signed by Debian's keyring. */
  public static Optional<URI> find(String suite) throws IOException {
    if (!Files.isDirectory(SOURCES_DIR)) {
      return Optional.empty();
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(SOURCES_DIR)) {
      files = listed.filter(p -> p.toString().endsWith(".sources")).sorted().toList();
    }
    for (Path file : files) {
      for (String stanza : Files.readString(file).split("\n\\s*\n", -1)) {
        if (!stanza.contains("debian-archive-keyring") || !stanza.contains(suite)) {
          continue;
        }
        for (String field : stanza.split("\n", -1)) {
          if (field.startsWith("URIs:")) {
            String uri = field.substring("URIs:".length()).trim().split("\\s+", -1)[0];
            if (uri.startsWith("http://")) {
              return Optional.of(URI.create(uri.endsWith("/") ? uri : uri + "/"));
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Whether a HEAD of {@code url} answers 200 within a few seconds. */
  public static boolean reachable(URI url) {
    try {
      HttpResponse<Void> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(url)
                      .method("HEAD", HttpRequest.BodyPublishers.noBody())
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
