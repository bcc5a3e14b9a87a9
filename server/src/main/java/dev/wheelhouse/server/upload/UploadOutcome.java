package dev.wheelhouse.server.upload;

/** How an accepted upload ended: new bytes stored, or the identical file was already there. */
public enum UploadOutcome {
  STORED,
  EXISTS
}
