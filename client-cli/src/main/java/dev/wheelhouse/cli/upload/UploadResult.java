package dev.wheelhouse.cli.upload;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The outcome of one file, as {@code upload --json} prints it.
 *
 * @param file the path as given on the command line
 * @param status {@code uploaded}, {@code exists} (identical file already there, or a conflict
 *     skipped by --skip-existing) or {@code failed}
 * @param index the index named by --index, or null for the server's default hosted index
 * @param sha256 the file's sha256, or null if it was not read
 * @param size the file's size in bytes
 * @param httpStatus the server's status code, or null if it gave none
 * @param reason the server's reason, or why there was no answer; null on success
 */
@JsonPropertyOrder({"file", "status", "index", "sha256", "size", "httpStatus", "reason"})
record UploadResult(
    String file,
    String status,
    String index,
    String sha256,
    long size,
    Integer httpStatus,
    String reason) {

  static final String UPLOADED = "uploaded";
  static final String EXISTS = "exists";
  static final String FAILED = "failed";

  boolean failed() {
    return status.equals(FAILED);
  }
}
