package dev.wheelhouse.cli.prewarm;

import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.util.Optional;

/** Builds, in a container, the wheels prewarm found missing, and uploads them to the server. */
public interface MissingBuilds {

  /**
   * Builds {@code project==version} from its sdist on the server's index for {@code target} and
   * uploads the wheel; never throws for a failed build, which is reported in the result.
   */
  BuildAttempt build(String project, String version, TargetEnvironment target)
      throws InterruptedException;

  /**
   * What one build gave.
   *
   * @param succeeded whether a wheel fitting the target was built and uploaded
   * @param wheelFilename the uploaded wheel's file name
   * @param detail one line: the wheel and the duration, or why it failed
   */
  record BuildAttempt(boolean succeeded, Optional<String> wheelFilename, String detail) {}
}
