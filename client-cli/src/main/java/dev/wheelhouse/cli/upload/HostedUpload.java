package dev.wheelhouse.cli.upload;

import dev.wheelhouse.cli.CommandFailure;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Uploads one built wheel with its provenance for other commands (the builder): the same checks and
 * legacy API as {@code wheelhouse upload}, plus a {@code provenance} field and a {@code build_log}
 * file part.
 */
public final class HostedUpload {

  /**
   * What the server said.
   *
   * @param status the HTTP status
   * @param reason the server's one-line reason
   * @param sha256 the uploaded file's sha256
   */
  public record Outcome(int status, String reason, String sha256) {
    /** Whether the file is on the index now (stored, or already there with the same bytes). */
    public boolean stored() {
      return status == 200 || status == 201;
    }
  }

  private HostedUpload() {}

  /**
   * Uploads {@code wheel} to hosted index {@code index} of the server at {@code base}. Throws
   * {@link CommandFailure} when the file is not a valid distribution or the server is unreachable.
   */
  public static Outcome send(
      URI base,
      String index,
      Optional<String> token,
      Path wheel,
      String provenanceJson,
      Optional<Path> buildLog)
      throws InterruptedException {
    URI endpoint = URI.create(base + "/index/" + index + "/legacy/");
    Distribution distribution = Distribution.inspect(wheel);
    FileDigests digests;
    long logSize;
    try {
      digests = FileDigests.of(wheel, bytes -> {});
      logSize = buildLog.isPresent() ? Files.size(buildLog.get()) : 0;
    } catch (IOException e) {
      throw CommandFailure.failed("upload failed: " + wheel + ": " + e.getMessage(), e);
    }
    Uploader.Answer answer =
        new Uploader(base, endpoint, token)
            .upload(
                distribution,
                digests,
                bytes -> {},
                form -> {
                  form.field("provenance", provenanceJson);
                  buildLog.ifPresent(
                      log ->
                          form.attach(
                              "build_log", "build.log", log, logSize, "text/plain; charset=utf-8"));
                });
    return new Outcome(answer.status(), answer.reason(), digests.sha256());
  }
}
