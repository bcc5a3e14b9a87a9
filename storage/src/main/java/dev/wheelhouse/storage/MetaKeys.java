package dev.wheelhouse.storage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RocksDB keys: names joined by NUL so that every level is a prefix of the next ({@code index NUL}
 * lists an index's projects, {@code index NUL project NUL} a project's files). NUL never occurs in
 * a name, so "a" never matches the keys of "ab" and "foo" never those of "foo-bar".
 */
final class MetaKeys {
  private static final byte SEPARATOR = 0;

  private MetaKeys() {}

  static byte[] project(String index, String project) {
    return join(false, name("index", index), name("project", project));
  }

  /** Prefix of all project, upstream page and file keys of {@code index}. */
  static byte[] indexPrefix(String index) {
    return join(true, name("index", index));
  }

  static byte[] file(String index, String project, String filename) {
    return join(false, name("index", index), name("project", project), name("filename", filename));
  }

  /** A platform miss: the project's key, then what tells platforms apart. */
  static byte[] miss(String index, String project, String platformKey) {
    return join(
        false, name("index", index), name("project", project), name("platform", platformKey));
  }

  /** Prefix of all file (and platform miss) keys of one project. */
  static byte[] projectPrefix(String index, String project) {
    return join(true, name("index", index), name("project", project));
  }

  static byte[] blob(Sha256 sha256) {
    return sha256.bytes();
  }

  static Sha256 blobSha(byte[] key) {
    if (key.length != Sha256.BYTES) {
      throw new RecordFormatException("blob key of " + key.length + " bytes, expected 32");
    }
    return Sha256.fromBytes(key);
  }

  private static final byte INDEX_FILE_ENTRY = 'F';
  private static final byte APT_FILE_ENTRY = 'A';

  /** The key of an entry in the access and blob-reference families: a kind byte, then its key. */
  static byte[] entry(EntryRef ref) {
    byte[] key;
    byte kind;
    if (ref instanceof EntryRef.IndexFile file) {
      key = file(file.index(), file.project(), file.filename());
      kind = INDEX_FILE_ENTRY;
    } else {
      EntryRef.AptFile apt = (EntryRef.AptFile) ref;
      key = project(apt.mirror(), apt.path());
      kind = APT_FILE_ENTRY;
    }
    byte[] out = new byte[key.length + 1];
    out[0] = kind;
    System.arraycopy(key, 0, out, 1, key.length);
    return out;
  }

  /** Prefix of the entry keys of index files ({@code true}) or apt files. */
  static byte[] entryKindPrefix(boolean indexFiles) {
    return new byte[] {indexFiles ? INDEX_FILE_ENTRY : APT_FILE_ENTRY};
  }

  /** The entry an {@link #entry} key names. */
  static EntryRef entryRef(byte[] key, int offset) {
    byte[] rest = Arrays.copyOfRange(key, offset + 1, key.length);
    if (key[offset] == INDEX_FILE_ENTRY) {
      List<String> names = split(rest, 3);
      return new EntryRef.IndexFile(names.get(0), names.get(1), names.get(2));
    }
    if (key[offset] == APT_FILE_ENTRY) {
      List<String> names = split(rest, 2);
      return new EntryRef.AptFile(names.get(0), names.get(1));
    }
    throw new RecordFormatException("unknown entry kind " + key[offset]);
  }

  /** A blob reference: the blob's digest, then the referring entry's key. */
  static byte[] blobRef(Sha256 sha256, byte[] entryKey) {
    byte[] out = new byte[Sha256.BYTES + entryKey.length];
    System.arraycopy(sha256.bytes(), 0, out, 0, Sha256.BYTES);
    System.arraycopy(entryKey, 0, out, Sha256.BYTES, entryKey.length);
    return out;
  }

  /** Splits a key into its {@code parts} names. */
  static List<String> split(byte[] key, int parts) {
    List<String> names = new ArrayList<>(parts);
    int start = 0;
    for (int i = 0; i <= key.length; i++) {
      if (i == key.length || key[i] == SEPARATOR) {
        names.add(new String(key, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (names.size() != parts) {
      throw new RecordFormatException("key has " + names.size() + " parts, expected " + parts);
    }
    return names;
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** The smallest key greater than every key starting with {@code prefix}; null if none. */
  static byte[] upperBound(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xff) {
        byte[] bound = Arrays.copyOf(prefix, i + 1);
        bound[i]++;
        return bound;
      }
    }
    return null;
  }

  /** Validates a key component: keys would be ambiguous with an empty name or a NUL in one. */
  static String name(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          what + " must not contain NUL: " + value.replace('\0', '?'));
    }
    return value;
  }

  private static byte[] join(boolean trailingSeparator, String... names) {
    ByteArrayOutputStream key = new ByteArrayOutputStream(64);
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        key.write(SEPARATOR);
      }
      key.writeBytes(names[i].getBytes(StandardCharsets.UTF_8));
    }
    if (trailingSeparator) {
      key.write(SEPARATOR);
    }
    return key.toByteArray();
  }
}
