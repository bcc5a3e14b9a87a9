package dev.wheelhouse.server.files;

/** Told of each file a client downloaded, on the event loop, once the response is sent. */
@FunctionalInterface
public interface FileDownloads {
  /** Tells nobody. */
  FileDownloads NONE = (index, project, filename, userAgent) -> {};

  /**
   * A client got {@code filename} of {@code project} from {@code index}.
   *
   * @param project normalized name, as in the file's URL
   * @param userAgent the client's User-Agent header; null when it sent none
   */
  void fileServed(String index, String project, String filename, String userAgent);
}
