package dev.wheelhouse.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.ServerHttp;
import dev.wheelhouse.cli.ServerReplies;
import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.SdistFilename;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/** Project pages of the server's default index, as PEP 691 JSON, where builds find sdists. */
final class ProjectPages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI server;
  private final HttpClient http = ServerHttp.client();

  ProjectPages(URI server) {
    this.server = server;
  }

  /** The page's URL, against which its file URLs resolve. */
  URI url(ProjectName project) {
    return URI.create(server + "/simple/" + project.value() + "/");
  }

  /** The page, or empty when the index has no such project. */
  Optional<JsonNode> page(ProjectName project) throws InterruptedException, IOException {
    URI page = url(project);
    HttpRequest request =
        HttpRequest.newBuilder(page)
            .header("Accept", "application/vnd.pypi.simple.v1+json")
            .header("User-Agent", "wheelhouse-cli")
            .GET()
            .build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() == 404) {
        return Optional.empty();
      }
      if (response.statusCode() != 200) {
        throw CommandFailure.failed(page + ": " + ServerReplies.reason(response, in, "index"));
      }
      return Optional.of(JSON.readTree(in));
    }
  }

  /** The sdist file name {@code filename} parses as, if it is one. */
  static Optional<SdistFilename> sdistName(String filename) {
    try {
      return Optional.of(SdistFilename.parse(filename));
    } catch (PackagingException e) {
      return Optional.empty();
    }
  }
}
