package dev.wheelhouse.cli.build;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A source ready to mount into a build container.
 *
 * @param hostDirectory the directory mounted read-only at {@code /src}
 * @param target what pip builds, as the container sees it: {@code /src} or {@code /src/<sdist>}
 * @param commit the git commit built, when the source is a git checkout
 */
record PreparedSource(Path hostDirectory, String target, Optional<String> commit) {}
