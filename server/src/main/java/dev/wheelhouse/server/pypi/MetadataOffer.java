package dev.wheelhouse.server.pypi;

import java.util.Optional;

/** A PEP 658 {@code .metadata} file offered beside a wheel, with its sha256 when known. */
public record MetadataOffer(Optional<String> sha256) {}
