package dev.wheelhouse.server.apt.index;

/**
 * The checksum fields of a Release file. Their names double as the directory names under {@code
 * by-hash/}.
 */
enum ChecksumField {
  MD5SUM("MD5Sum", 32),
  SHA1("SHA1", 40),
  SHA256("SHA256", 64),
  SHA512("SHA512", 128);

  private final String fieldName;
  private final int hexLength;

  ChecksumField(String fieldName, int hexLength) {
    this.fieldName = fieldName;
    this.hexLength = hexLength;
  }

  /** The field name as Debian writes it, which is also the by-hash directory name. */
  String fieldName() {
    return fieldName;
  }

  /** How many hex digits a digest has. */
  int hexLength() {
    return hexLength;
  }
}
