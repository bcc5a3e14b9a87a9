package dev.wheelhouse.cli.apt;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An apt mirror of the server, as {@code apt-sources --json} prints it.
 *
 * @param name the mirror's name in the config ({@code apt.mirrors[].name})
 * @param url the upstream repository root
 * @param ttl how long the server keeps index files fresh, such as {@code 5m}
 * @param aptUrl where apt reaches the mirror through the server
 * @param configured true if the loaded config has the mirror; false for one --from-host adds
 */
@JsonPropertyOrder({"name", "url", "ttl", "aptUrl", "configured"})
record AptMirror(String name, String url, String ttl, String aptUrl, boolean configured) {}
