package dev.wheelhouse.cli.apt;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A host source URI that cannot go through the server, as {@code apt-sources --json} prints it.
 *
 * @param origin {@code FILE:LINE} of the source
 * @param uri the URI as written
 * @param reason why it was left out
 */
@JsonPropertyOrder({"origin", "uri", "reason"})
record SkippedSource(String origin, String uri, String reason) {}
