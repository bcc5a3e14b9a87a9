package dev.wheelhouse.cli.prewarm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.ServerReplies;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.tags.CandidateFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads projects' PEP 691 JSON pages from the server and lists their files. */
final class ProjectPages {
  static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
  static final String NOT_ON_INDEX = "not on the index";

  private static final ObjectMapper JSON = new ObjectMapper();
  // The server may have to ask its upstream first.
  private static final Duration PAGE_TIMEOUT = Duration.ofMinutes(2);

  private final IndexServer server;

  ProjectPages(IndexServer server) {
    this.server = server;
  }

  /**
   * A project's files as its page lists them, or why there is no usable page.
   *
   * @param page the page's URL, which relative file URLs were resolved against
   * @param files the listed files (empty when there is a problem)
   * @param problem why the page could not be used: not on the index, an HTTP error, bad JSON
   */
  record ProjectFiles(URI page, List<CandidateFile> files, Optional<String> problem) {
    ProjectFiles {
      files = List.copyOf(files);
    }

    static ProjectFiles unusable(URI page, String problem) {
      return new ProjectFiles(page, List.of(), Optional.of(problem));
    }
  }

  /**
   * Fetches {@code project}'s page. Throws {@link CommandFailure} when the server cannot be reached
   * or refuses the token, which no other project would fare better with.
   */
  ProjectFiles fetch(ProjectName project) throws InterruptedException {
    URI page = server.projectPage(project);
    try {
      HttpResponse<InputStream> response =
          server
              .client()
              .send(
                  server.get(page).header("Accept", JSON_TYPE).timeout(PAGE_TIMEOUT).build(),
                  BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        int status = response.statusCode();
        if (status == 200) {
          return read(page, response, in);
        }
        if (status == 404) {
          return ProjectFiles.unusable(page, NOT_ON_INDEX);
        }
        String reason = ServerReplies.reason(response, in, "index page");
        if (status == 401 || status == 403) {
          String hint =
              status == 401 && server.token().isEmpty()
                  ? " (pass --token or set WHEELHOUSE_TOKEN)"
                  : "";
          throw CommandFailure.failed(
              "wheelhouse prewarm: "
                  + server.indexName()
                  + " refused the page of "
                  + project.value()
                  + ": "
                  + status
                  + " "
                  + reason
                  + hint);
        }
        return ProjectFiles.unusable(page, "index page: " + status + " " + reason);
      }
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw server.unreachable(e);
    } catch (HttpTimeoutException e) {
      return ProjectFiles.unusable(
          page, "index page: no answer within " + PAGE_TIMEOUT.toMinutes() + " min");
    } catch (IOException e) {
      return ProjectFiles.unusable(page, "index page: " + ServerReplies.describe(e));
    }
  }

  private static ProjectFiles read(URI page, HttpResponse<InputStream> response, InputStream in)
      throws IOException {
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (!type.toLowerCase(Locale.ROOT).startsWith(JSON_TYPE)) {
      return ProjectFiles.unusable(
          page, "index page is not PEP 691 JSON (Content-Type: " + type + ")");
    }
    JsonNode document;
    try {
      document = JSON.readTree(in);
    } catch (JsonProcessingException e) {
      return ProjectFiles.unusable(page, "index page is not valid JSON: " + e.getOriginalMessage());
    }
    JsonNode files = document == null ? null : document.get("files");
    if (files == null || !files.isArray()) {
      return ProjectFiles.unusable(page, "index page has no files list");
    }
    List<CandidateFile> candidates = new ArrayList<>();
    for (JsonNode file : files) {
      candidate(page, file).ifPresent(candidates::add);
    }
    return new ProjectFiles(page, candidates, Optional.empty());
  }

  /** One {@code files[]} entry; entries without a name or a usable URL are left out. */
  static Optional<CandidateFile> candidate(URI page, JsonNode file) {
    String filename = text(file.get("filename"));
    String url = text(file.get("url"));
    if (filename == null || url == null) {
      return Optional.empty();
    }
    URI resolved;
    try {
      String link = page.resolve(new URI(url)).toString();
      // Any #sha256= fragment is dropped: hashes come from "hashes", and a fragment is not sent.
      int fragment = link.indexOf('#');
      resolved = URI.create(fragment < 0 ? link : link.substring(0, fragment));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
    Map<String, String> hashes = new LinkedHashMap<>();
    JsonNode hashNode = file.get("hashes");
    if (hashNode != null && hashNode.isObject()) {
      for (Map.Entry<String, JsonNode> hash : hashNode.properties()) {
        String value = text(hash.getValue());
        if (value != null) {
          hashes.put(hash.getKey().toLowerCase(Locale.ROOT), value.toLowerCase(Locale.ROOT));
        }
      }
    }
    return Optional.of(
        new CandidateFile(
            filename,
            resolved.toString(),
            hashes,
            Optional.ofNullable(text(file.get("requires-python"))).filter(s -> !s.isBlank()),
            yanked(file.get("yanked"))));
  }

  /** PEP 592/691: {@code true}, or a reason string (any string means yanked). */
  private static boolean yanked(JsonNode node) {
    if (node == null || node.isNull()) {
      return false;
    }
    return node.isBoolean() ? node.booleanValue() : node.isTextual();
  }

  private static String text(JsonNode node) {
    return node == null || !node.isTextual() ? null : node.textValue();
  }
}
