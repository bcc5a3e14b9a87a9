package dev.wheelhouse.cli.build;

import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.prewarm.MissingBuilds;
import java.net.URI;
import java.util.Optional;

/** Options shared by {@code build} and {@code prewarm --build-missing}: engine, images, limits. */
public final class BuilderOptions {

  /** The builder prewarm hands its missing wheels to. */
  public MissingBuilds missingBuilds(Invocation invocation, URI server, Optional<String> token) {
    throw new UnsupportedOperationException("TODO");
  }
}
