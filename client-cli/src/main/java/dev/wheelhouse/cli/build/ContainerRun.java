package dev.wheelhouse.cli.build;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One build container: its name (to stop it), platform, image, mounts, environment and command.
 *
 * @param name a unique container name
 * @param platform e.g. {@code linux/arm64}
 * @param image the image reference
 * @param mounts host directories seen inside
 * @param env environment variables
 * @param command the program and its arguments
 */
record ContainerRun(
    String name,
    String platform,
    String image,
    List<Mount> mounts,
    Map<String, String> env,
    List<String> command) {

  ContainerRun {
    mounts = List.copyOf(mounts);
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    command = List.copyOf(command);
  }

  /** A bind mount. */
  record Mount(Path host, String container, boolean readOnly) {}
}
