package dev.wheelhouse.server.provenance;

import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.Provenance;

/** A hosted file and how it was built. */
record BuiltFile(FileRecord file, Provenance provenance) {}
