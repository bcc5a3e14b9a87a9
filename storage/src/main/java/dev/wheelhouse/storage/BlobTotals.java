package dev.wheelhouse.storage;

/** Number and total size of the blobs the metadata store knows. */
public record BlobTotals(long count, long bytes) {
  public static final BlobTotals EMPTY = new BlobTotals(0, 0);

  BlobTotals plus(long countDelta, long bytesDelta) {
    return new BlobTotals(count + countDelta, bytes + bytesDelta);
  }
}
