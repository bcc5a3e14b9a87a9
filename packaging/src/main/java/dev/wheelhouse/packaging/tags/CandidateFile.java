package dev.wheelhouse.packaging.tags;

import java.util.Map;
import java.util.Optional;

/**
 * A file an index page offers, as the PEP 691 JSON API describes it.
 *
 * @param filename the file name (wheel or sdist; others are ignored)
 * @param url where to download it
 * @param hashes digests by lowercase algorithm name
 * @param requiresPython the data-requires-python specifier, if any
 * @param yanked whether the file is yanked (PEP 592)
 */
public record CandidateFile(
    String filename,
    String url,
    Map<String, String> hashes,
    Optional<String> requiresPython,
    boolean yanked) {}
