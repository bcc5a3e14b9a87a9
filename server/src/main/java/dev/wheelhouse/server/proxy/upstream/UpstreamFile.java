package dev.wheelhouse.server.proxy.upstream;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One distribution file an upstream project page lists.
 *
 * @param filename the URL's last path segment, percent-decoded ({@code %2B} and {@code +} both
 *     become {@code +}); for JSON pages the {@code filename} key. Always a valid distribution file
 *     name of the page's project.
 * @param url absolute, without fragment; may point to another host than the page
 * @param sha256 lowercase hex; empty if the upstream gives none (PyTorch nightlies) or only other
 *     algorithms
 * @param requiresPython the PEP 345 specifier as text, HTML entities already decoded
 * @param yanked present if yanked (PEP 592); the reason, or {@code ""} if none was given
 * @param coreMetadata present if the upstream serves {@code <url>.metadata} (PEP 658/714)
 * @param size in bytes (PEP 700, JSON only)
 * @param uploadTime PEP 700, JSON only
 */
public record UpstreamFile(
    String filename,
    URI url,
    Optional<String> sha256,
    Optional<String> requiresPython,
    Optional<String> yanked,
    Optional<CoreMetadataRef> coreMetadata,
    OptionalLong size,
    Optional<Instant> uploadTime) {

  public UpstreamFile {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(requiresPython, "requiresPython");
    Objects.requireNonNull(yanked, "yanked");
    Objects.requireNonNull(coreMetadata, "coreMetadata");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(uploadTime, "uploadTime");
  }
}
