package dev.wheelhouse.cli.apt;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One apt source, as a deb822 stanza describes it; a one-line entry is the case of one type, one
 * URI and one suite. Printed as such by {@code apt-sources --json}.
 *
 * @param types {@code deb} and/or {@code deb-src}
 * @param uris repository roots, as written
 * @param suites suites or codenames ({@code bookworm}), or exact paths ending in {@code /}
 * @param components components ({@code main}); empty for exact-path suites
 * @param options every other option, keyed by its one-line name ({@code arch}, {@code signed-by},
 *     {@code arch+}, ...; unknown ones as written), in the order read; multi-value options hold one
 *     element per value, an embedded Signed-By key is one element with line breaks
 * @param origin {@code FILE:LINE} where the source was read, or null for generated sources
 */
@JsonPropertyOrder({"types", "uris", "suites", "components", "options", "origin"})
record SourceEntry(
    List<String> types,
    List<String> uris,
    List<String> suites,
    List<String> components,
    Map<String, List<String>> options,
    String origin) {

  SourceEntry {
    types = List.copyOf(types);
    uris = List.copyOf(uris);
    suites = List.copyOf(suites);
    components = List.copyOf(components);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    options.forEach((key, values) -> copy.put(Objects.requireNonNull(key), List.copyOf(values)));
    options = Collections.unmodifiableMap(copy);
  }

  /** This source with other URIs. */
  SourceEntry withUris(List<String> newUris) {
    return new SourceEntry(types, newUris, suites, components, options, origin);
  }

  /** Whether a suite is an exact path ({@code ./}, {@code stable/}), which takes no components. */
  static boolean exactPath(String suite) {
    return suite.endsWith("/");
  }
}
