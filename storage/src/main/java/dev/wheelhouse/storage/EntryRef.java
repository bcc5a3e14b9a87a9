package dev.wheelhouse.storage;

import java.util.Objects;

/**
 * Names one stored entry whatever its kind: a file of an index or a file of an apt mirror. Entries
 * own blobs; pruning, access accounting and reference checks work on entries.
 */
public sealed interface EntryRef {
  /** The index or mirror the entry belongs to. */
  String owner();

  /** A file of a (hosted or proxy) index. */
  record IndexFile(String index, String project, String filename) implements EntryRef {
    public IndexFile {
      Objects.requireNonNull(index, "index");
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(filename, "filename");
    }

    @Override
    public String owner() {
      return index;
    }

    @Override
    public String toString() {
      return index + "/" + project + "/" + filename;
    }
  }

  /** A file of an apt mirror. */
  record AptFile(String mirror, String path) implements EntryRef {
    public AptFile {
      Objects.requireNonNull(mirror, "mirror");
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String owner() {
      return mirror;
    }

    @Override
    public String toString() {
      return "apt/" + mirror + "/" + path;
    }
  }
}
