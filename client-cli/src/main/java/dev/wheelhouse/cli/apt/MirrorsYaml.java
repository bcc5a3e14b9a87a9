package dev.wheelhouse.cli.apt;

import dev.wheelhouse.config.AptMirrorConfig;
import dev.wheelhouse.config.Durations;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The {@code apt:} section of the server config for a list of mirrors. */
final class MirrorsYaml {
  private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");
  private static final Set<String> YAML_WORDS =
      Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

  private MirrorsYaml() {}

  /** The section, with a ttl only where it is not the default. */
  static String format(List<AptMirror> mirrors) {
    if (mirrors.isEmpty()) {
      return "apt:\n  mirrors: []\n";
    }
    StringBuilder yaml = new StringBuilder("apt:\n  mirrors:\n");
    String defaultTtl = Durations.format(AptMirrorConfig.DEFAULT_TTL);
    for (AptMirror mirror : mirrors) {
      yaml.append("    - name: ").append(scalar(mirror.name())).append('\n');
      yaml.append("      url: ").append(mirror.url()).append('\n');
      if (!mirror.ttl().equals(defaultTtl)) {
        yaml.append("      ttl: ").append(mirror.ttl()).append('\n');
      }
    }
    return yaml.toString();
  }

  /** A mirror name, quoted where YAML would read it as a number, boolean or null. */
  private static String scalar(String name) {
    boolean plain =
        HAS_LETTER.matcher(name).matches()
            && !YAML_WORDS.contains(name.toLowerCase(Locale.ROOT))
            && !name.matches("[0-9.]+e[0-9]+|0x[0-9a-f]+|0o[0-7]+|\\.(inf|nan)");
    return plain ? name : "\"" + name + "\"";
  }
}
