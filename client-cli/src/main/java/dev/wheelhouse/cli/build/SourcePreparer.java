package dev.wheelhouse.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.ServerHttp;
import dev.wheelhouse.cli.ServerReplies;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.SdistFilename;
import dev.wheelhouse.packaging.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;

/** Puts a build's source into a work directory: a git checkout, a downloaded sdist, or a path. */
final class SourcePreparer {
  private static final Duration GIT_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration QUICK = Duration.ofMinutes(1);

  private final ProjectPages pages;
  private final HttpClient http = ServerHttp.client();

  /**
   * @param server the server's base URL, whose default index has the sdists
   */
  SourcePreparer(URI server) {
    this.pages = new ProjectPages(server);
  }

  PreparedSource prepare(BuildSource source, Path workDirectory, Consumer<String> log)
      throws InterruptedException, IOException {
    if (source instanceof BuildSource.Git git) {
      return checkout(git, workDirectory.resolve("src"), log);
    }
    if (source instanceof BuildSource.Sdist sdist) {
      return download(sdist, workDirectory.resolve("src"), log);
    }
    return local((BuildSource.LocalPath) source);
  }

  private static PreparedSource checkout(BuildSource.Git git, Path directory, Consumer<String> log)
      throws InterruptedException {
    log.accept("== git clone " + git.url() + " (" + git.ref() + ")");
    run(ExternalCommand.of("git", "clone", "--quiet", "--", git.url(), directory.toString()), log);
    ExternalCommand.Result checkout =
        ExternalCommand.of("git", "checkout", "--quiet", "--detach", git.ref(), "--")
            .in(directory)
            .run(GIT_TIMEOUT, log, () -> {});
    if (!checkout.succeeded()) {
      // A commit no branch reaches (or a remote that hides it) needs an explicit fetch.
      run(ExternalCommand.of("git", "fetch", "--quiet", "origin", git.ref()).in(directory), log);
      run(
          ExternalCommand.of("git", "checkout", "--quiet", "--detach", "FETCH_HEAD").in(directory),
          log);
    }
    if (Files.exists(directory.resolve(".gitmodules"))) {
      run(
          ExternalCommand.of("git", "submodule", "update", "--init", "--recursive", "--quiet")
              .in(directory),
          log);
    }
    String commit =
        ExternalCommand.of("git", "rev-parse", "HEAD")
            .in(directory)
            .captureOrFail(QUICK, "git rev-parse")
            .strip();
    if (looksLikeCommit(git.ref())
        && !commit.startsWith(git.ref().toLowerCase(java.util.Locale.ROOT))) {
      throw CommandFailure.failed(
          "git checkout of " + git.ref() + " in " + git.url() + " gave commit " + commit);
    }
    log.accept("== source at commit " + commit);
    return new PreparedSource(directory, BuildScript.SOURCE, Optional.of(commit));
  }

  private static boolean looksLikeCommit(String ref) {
    return ref.matches("[0-9a-fA-F]{7,40}");
  }

  private static void run(ExternalCommand command, Consumer<String> log)
      throws InterruptedException {
    ExternalCommand.Result result = command.run(GIT_TIMEOUT, log, () -> {});
    if (!result.succeeded()) {
      throw CommandFailure.failed("git failed: " + ExternalCommand.lastLines(result, 3));
    }
  }

  private PreparedSource download(BuildSource.Sdist sdist, Path directory, Consumer<String> log)
      throws InterruptedException, IOException {
    ProjectName project = ProjectName.of(sdist.project());
    Version version = Version.parse(sdist.version());
    URI page = pages.url(project);
    JsonNode files =
        pages
            .page(project)
            .orElseThrow(() -> CommandFailure.failed(project.value() + " is not on " + page))
            .path("files");
    for (JsonNode file : files) {
      String filename = file.path("filename").asText();
      Optional<SdistFilename> parsed = ProjectPages.sdistName(filename);
      if (parsed.isEmpty()
          || !parsed.get().project().equals(project)
          || !parsed.get().version().equals(version)) {
        continue;
      }
      URI url = page.resolve(file.path("url").asText());
      String expected = file.path("hashes").path("sha256").asText("");
      Files.createDirectories(directory);
      Path target = directory.resolve(filename);
      log.accept("== download " + filename);
      String actual = fetchTo(url, target);
      if (!expected.isEmpty() && !expected.equalsIgnoreCase(actual)) {
        throw CommandFailure.failed(
            filename + " from " + url + " has sha256 " + actual + ", the index says " + expected);
      }
      return new PreparedSource(directory, BuildScript.SOURCE + "/" + filename, Optional.empty());
    }
    throw CommandFailure.failed("no sdist of " + project.value() + " " + version + " on " + page);
  }

  private String fetchTo(URI url, Path target) throws InterruptedException, IOException {
    HttpRequest request =
        HttpRequest.newBuilder(url).header("User-Agent", "wheelhouse-cli").GET().build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest sha256 = sha256();
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw CommandFailure.failed(url + ": " + ServerReplies.reason(response, in, "download"));
      }
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha256)) {
        in.transferTo(out);
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static PreparedSource local(BuildSource.LocalPath path) throws InterruptedException {
    Path directory = path.directory().toAbsolutePath().normalize();
    if (!Files.isDirectory(directory)) {
      throw CommandFailure.usage("--path " + directory + ": not a directory");
    }
    if (!Files.exists(directory.resolve("pyproject.toml"))
        && !Files.exists(directory.resolve("setup.py"))) {
      throw CommandFailure.usage(
          "--path " + directory + ": no pyproject.toml or setup.py, not a Python project");
    }
    Optional<String> commit = Optional.empty();
    if (Files.exists(directory.resolve(".git"))) {
      ExternalCommand.Result head =
          ExternalCommand.of("git", "rev-parse", "HEAD").in(directory).capture(QUICK);
      if (head.succeeded()) {
        commit = Optional.of(head.output().strip());
      }
    }
    return new PreparedSource(directory, BuildScript.SOURCE, commit);
  }
}
