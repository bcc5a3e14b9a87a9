package dev.wheelhouse.cli.upload;

import dev.wheelhouse.cli.ByteSize;
import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.JsonOption;
import dev.wheelhouse.cli.ServerOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wheelhouse upload}: sends wheels and sdists to a hosted index through the twine-compatible
 * legacy API. Every file is checked locally before the first byte is sent; uploads then go one by
 * one and stop at the first failure, like twine.
 */
@Command(name = "upload", description = "Upload wheels and sdists to a hosted index.")
public final class UploadCommand implements Callable<Integer> {
  private static final long PROGRESS_MIN_BYTES = 1 << 20;
  private static final Pattern INDEX_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Invocation invocation;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Wheels (.whl) and sdists (.tar.gz, .zip) to upload.")
  private List<Path> files;

  @Option(
      names = "--index",
      paramLabel = "NAME",
      description = "Hosted index to upload to (default: the server's default hosted index).")
  private String index;

  @Option(
      names = "--skip-existing",
      description = "Count a file the server already has with other bytes (409) as done.")
  private boolean skipExisting;

  @Mixin private ServerOptions server;

  @Mixin private JsonOption json;

  public UploadCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws InterruptedException {
    URI base = server.baseUrl(invocation.env());
    if (index != null && !INDEX_NAME.matcher(index).matches()) {
      throw CommandFailure.usage("invalid index name '" + index + "'");
    }
    URI endpoint = URI.create(base + (index == null ? "/legacy/" : "/index/" + index + "/legacy/"));
    String destination = index == null ? base.toString() : index;
    Optional<String> token = server.token(invocation.env());

    List<Distribution> distributions = files.stream().map(Distribution::inspect).toList();

    Uploader uploader = new Uploader(base, endpoint, token);
    List<UploadResult> results = new ArrayList<>();
    String failure = null;
    for (Distribution distribution : distributions) {
      Attempt attempt = upload(uploader, distribution, token.isPresent());
      results.add(attempt.result());
      if (attempt.result().failed()) {
        failure = attempt.failure();
        break;
      }
      if (!json.enabled()) {
        printSuccess(attempt.result(), distribution.filename(), destination);
      }
    }
    if (json.enabled()) {
      JsonOption.print(invocation.out(), results);
    }
    if (failure != null) {
      throw CommandFailure.failed(failure);
    }
    return ExitCode.OK;
  }

  /** A result and, when it failed, the one line that says why. */
  private record Attempt(UploadResult result, String failure) {}

  private Attempt upload(Uploader uploader, Distribution distribution, boolean hasToken)
      throws InterruptedException {
    String file = distribution.path().toString();
    long size = distribution.path().toFile().length();
    ProgressLine progress =
        ProgressLine.of(
            invocation.err(),
            invocation.interactive() && !json.enabled() && size > PROGRESS_MIN_BYTES,
            distribution.filename(),
            size);
    FileDigests digests = null;
    try {
      digests = FileDigests.of(distribution.path(), progress.phase("hashing"));
      Uploader.Answer answer = uploader.upload(distribution, digests, progress.phase("uploading"));
      return judge(distribution, digests, answer, hasToken);
    } catch (IOException e) {
      String reason = "cannot read: " + e.getMessage();
      return new Attempt(
          new UploadResult(file, UploadResult.FAILED, index, null, size, null, reason),
          "upload failed: " + file + ": " + reason);
    } catch (CommandFailure e) {
      // The server was not reached or the connection broke: no HTTP answer to report.
      return new Attempt(
          new UploadResult(
              file,
              UploadResult.FAILED,
              index,
              digests == null ? null : digests.sha256(),
              size,
              null,
              e.getMessage()),
          e.getMessage());
    } finally {
      progress.clear();
    }
  }

  private Attempt judge(
      Distribution distribution, FileDigests digests, Uploader.Answer answer, boolean hasToken) {
    int status = answer.status();
    String reason = answer.reason();
    String lower = reason.toLowerCase(Locale.ROOT);
    String outcome;
    if (status / 100 == 2) {
      // An identical re-upload is a success; the server says so in its answer.
      outcome = lower.contains("exist") ? UploadResult.EXISTS : UploadResult.UPLOADED;
    } else if (skipExisting && conflict(status, lower)) {
      outcome = UploadResult.EXISTS;
    } else {
      outcome = UploadResult.FAILED;
    }
    boolean failed = outcome.equals(UploadResult.FAILED);
    UploadResult result =
        new UploadResult(
            distribution.path().toString(),
            outcome,
            index,
            digests.sha256(),
            digests.size(),
            status,
            status / 100 == 2 ? null : reason);
    if (!failed) {
      return new Attempt(result, null);
    }
    String hint = status == 401 && !hasToken ? " (pass --token or set WHEELHOUSE_TOKEN)" : "";
    return new Attempt(
        result, "upload failed: " + distribution.filename() + ": " + status + " " + reason + hint);
  }

  /** 409 is the conflict answer; PyPI and twine also know it as a 400 "File already exists". */
  private static boolean conflict(int status, String lowerReason) {
    return status == 409 || (status == 400 && lowerReason.contains("already exists"));
  }

  private void printSuccess(UploadResult result, String filename, String destination) {
    String size = ByteSize.format(result.size());
    if (result.status().equals(UploadResult.UPLOADED)) {
      invocation.out().println("uploaded " + filename + " (" + size + ") to " + destination);
    } else {
      invocation.out().println("exists   " + filename + " (" + size + ") in " + destination);
    }
    invocation.out().flush();
  }
}
