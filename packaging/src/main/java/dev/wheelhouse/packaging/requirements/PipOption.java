package dev.wheelhouse.packaging.requirements;

import java.util.Optional;

/** The options pip accepts in a requirements file, with their short and long spellings. */
enum PipOption {
  INDEX_URL("-i", "--index-url", true, false),
  EXTRA_INDEX_URL(null, "--extra-index-url", true, false),
  NO_INDEX(null, "--no-index", false, false),
  CONSTRAINT("-c", "--constraint", true, false),
  REQUIREMENT("-r", "--requirement", true, false),
  EDITABLE("-e", "--editable", true, false),
  FIND_LINKS("-f", "--find-links", true, false),
  NO_BINARY(null, "--no-binary", true, false),
  ONLY_BINARY(null, "--only-binary", true, false),
  PREFER_BINARY(null, "--prefer-binary", false, false),
  REQUIRE_HASHES(null, "--require-hashes", false, false),
  PRE(null, "--pre", false, false),
  TRUSTED_HOST(null, "--trusted-host", true, false),
  USE_FEATURE(null, "--use-feature", true, false),
  // Options of a single requirement line.
  HASH(null, "--hash", true, true),
  CONFIG_SETTINGS("-C", "--config-settings", true, true),
  GLOBAL_OPTION(null, "--global-option", true, true);

  private final String shortName;
  private final String longName;
  private final boolean takesValue;
  private final boolean perRequirement;

  PipOption(String shortName, String longName, boolean takesValue, boolean perRequirement) {
    this.shortName = shortName;
    this.longName = longName;
    this.takesValue = takesValue;
    this.perRequirement = perRequirement;
  }

  /** The option spelled {@code --name}. */
  static Optional<PipOption> byLongName(String name) {
    for (PipOption option : values()) {
      if (option.longName.equals(name)) {
        return Optional.of(option);
      }
    }
    return Optional.empty();
  }

  /** The option spelled {@code -x}. */
  static Optional<PipOption> byShortName(String name) {
    for (PipOption option : values()) {
      if (name.equals(option.shortName)) {
        return Optional.of(option);
      }
    }
    return Optional.empty();
  }

  String longName() {
    return longName;
  }

  boolean takesValue() {
    return takesValue;
  }

  /** Whether it belongs on a requirement line ({@code --hash}) rather than a line of its own. */
  boolean perRequirement() {
    return perRequirement;
  }
}
