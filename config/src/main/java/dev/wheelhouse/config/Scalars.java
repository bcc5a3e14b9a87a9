package dev.wheelhouse.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parsers for configuration scalars that have no value type of their own. Each throws {@link
 * IllegalArgumentException} with a reason fit for the user, as {@link Node#as} expects.
 */
final class Scalars {
  /** Names of indexes and apt mirrors: they appear in URL paths, so no case games, no slashes. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private Scalars() {}

  static boolean bool(String text) {
    if (text.equalsIgnoreCase("true")) {
      return true;
    }
    if (text.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("expected true or false, got '" + text + "'");
  }

  static String nonBlank(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("expected a value, got an empty one");
    }
    return text;
  }

  static String name(String text) {
    if (!NAME.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "expected a name of lowercase letters, digits, '.', '_' and '-' starting with a letter or"
              + " digit, got '"
              + text
              + "'");
    }
    return text;
  }

  static Path path(String text) {
    nonBlank(text);
    try {
      return Paths.get(text);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("invalid path '" + text + "': " + e.getReason(), e);
    }
  }

  static String pattern(String text) {
    return new ProjectPattern(text).glob();
  }

  static Duration positiveDuration(String text) {
    Duration duration = Durations.parse(text);
    if (duration.isZero()) {
      throw new IllegalArgumentException("expected a duration above zero, got '" + text + "'");
    }
    return duration;
  }

  static DataSize positiveSize(String text) {
    DataSize size = DataSize.parse(text);
    if (size.bytes() == 0) {
      throw new IllegalArgumentException("expected a size above zero, got '" + text + "'");
    }
    return size;
  }

  /**
   * An absolute http or https URL without credentials, query or fragment, ending in / so that
   * relative links resolve below it (a proxy of {@code .../whl/cu121} must fetch {@code
   * .../whl/cu121/torch/}, not {@code .../whl/torch/}).
   */
  static URI baseUrl(String text) {
    URI url;
    try {
      url = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid URL '" + text + "': " + e.getReason(), e);
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException("expected an http or https URL, got '" + text + "'");
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "credentials do not belong in the URL (they would show in logs): use username and"
              + " password");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "expected a URL without query or fragment, got '" + text + "'");
    }
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return URI.create(
        scheme + "://" + url.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
  }

  /** A parser for the lowercase YAML spelling of {@code type}'s constants. */
  static <E extends Enum<E>> Function<String, E> lowercaseEnum(Class<E> type, String what) {
    return text -> {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(text)) {
          return constant;
        }
      }
      throw new IllegalArgumentException(
          "unknown " + what + " '" + text + "' (expected " + spelled(type) + ")");
    };
  }

  private static String spelled(Class<? extends Enum<?>> type) {
    String all =
        Arrays.stream(type.getEnumConstants())
            .map(constant -> constant.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return last < 0 ? all : all.substring(0, last) + " or " + all.substring(last + 2);
  }
}
