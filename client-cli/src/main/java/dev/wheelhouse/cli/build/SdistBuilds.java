package dev.wheelhouse.cli.build;

import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.prewarm.MissingBuilds;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.net.URI;
import java.util.Optional;

/** Builds what prewarm found only as an sdist, with the options given to prewarm. */
final class SdistBuilds implements MissingBuilds {
  private final BuilderOptions options;
  private final Invocation invocation;
  private final URI server;
  private final Optional<String> token;
  private WheelBuilder builder;

  SdistBuilds(BuilderOptions options, Invocation invocation, URI server, Optional<String> token) {
    this.options = options;
    this.invocation = invocation;
    this.server = server;
    this.token = token;
  }

  @Override
  public BuildAttempt build(String project, String version, TargetEnvironment target)
      throws InterruptedException {
    if (builder == null) {
      // Detected on first use: a prewarm with nothing to build needs no container engine.
      builder = options.builder(invocation, server, token, invocation.err());
    }
    BuildOutcome outcome =
        builder.build(
            options.job(Optional.empty(), new BuildSource.Sdist(project, version), target));
    return new BuildAttempt(outcome.succeeded(), outcome.wheel(), outcome.detail());
  }
}
