package dev.wheelhouse.server.files;

import java.nio.file.Path;
import java.time.Instant;

/** A committed blob ready to send: where it is, how long, its tag and media type. */
public record ServedFile(
    Path path, long size, String etag, Instant lastModified, String contentType) {}
