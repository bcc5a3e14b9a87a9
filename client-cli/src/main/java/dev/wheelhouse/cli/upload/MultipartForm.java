package dev.wheelhouse.cli.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * A multipart/form-data body of text fields followed by one file part and any attachments (further
 * file parts, such as a build log), streamed from disk: no file is ever held in memory, and the
 * exact length is known up front so that the request carries a Content-Length (servers can refuse
 * an oversized upload before reading it).
 */
final class MultipartForm {
  private static final String CRLF = "\r\n";

  private final String boundary = "wheelhouse-" + UUID.randomUUID().toString().replace("-", "");
  private final Map<String, String> fields = new LinkedHashMap<>();
  private final List<Attachment> attachments = new ArrayList<>();

  /** A further file part sent after the main one. */
  private record Attachment(String field, String filename, Path file, long size, String type) {}

  MultipartForm field(String name, String value) {
    fields.put(name, value);
    return this;
  }

  /** Adds a file part after the main file, e.g. a {@code text/plain} build log. */
  MultipartForm attach(String field, String filename, Path file, long size, String contentType) {
    attachments.add(new Attachment(field, filename, file, size, contentType));
    return this;
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  /**
   * The body: the fields, then {@code file} (exactly {@code fileSize} bytes) as part {@code
   * fileField}. {@code progress} receives the number of file bytes read by the HTTP client so far.
   */
  BodyPublisher body(
      String fileField, String filename, Path file, long fileSize, LongConsumer progress) {
    byte[] head = head(fileField, filename);
    byte[] tail = (CRLF + "--" + boundary + "--" + CRLF).getBytes(StandardCharsets.UTF_8);
    long length = head.length + fileSize + tail.length;
    for (Attachment attachment : attachments) {
      length += attachmentHead(attachment).length + attachment.size();
    }
    BodyPublisher stream =
        BodyPublishers.ofInputStream(
            () -> {
              List<InputStream> parts = new ArrayList<>();
              parts.add(new ByteArrayInputStream(head));
              parts.add(new ProgressInputStream(open(file), progress));
              for (Attachment attachment : attachments) {
                parts.add(new ByteArrayInputStream(attachmentHead(attachment)));
                parts.add(open(attachment.file()));
              }
              parts.add(new ByteArrayInputStream(tail));
              return new SequenceInputStream(Collections.enumeration(parts));
            });
    return BodyPublishers.fromPublisher(stream, length);
  }

  private static InputStream open(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The boundary and headers before an attachment's bytes (which follow the previous part). */
  private byte[] attachmentHead(Attachment attachment) {
    String text =
        CRLF
            + "--"
            + boundary
            + CRLF
            + "Content-Disposition: form-data; name=\""
            + quoted(attachment.field())
            + "\"; filename=\""
            + quoted(attachment.filename())
            + '"'
            + CRLF
            + "Content-Type: "
            + attachment.type()
            + CRLF
            + CRLF;
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] head(String fileField, String filename) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      text.append("--").append(boundary).append(CRLF);
      text.append("Content-Disposition: form-data; name=\"")
          .append(quoted(field.getKey()))
          .append('"')
          .append(CRLF)
          .append(CRLF);
      text.append(field.getValue()).append(CRLF);
    }
    text.append("--").append(boundary).append(CRLF);
    text.append("Content-Disposition: form-data; name=\"")
        .append(quoted(fileField))
        .append("\"; filename=\"")
        .append(quoted(filename))
        .append('"')
        .append(CRLF);
    text.append("Content-Type: application/octet-stream").append(CRLF).append(CRLF);
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Escapes a name for a quoted header parameter as the HTML form encoding does. */
  private static String quoted(String value) {
    return value.replace("\r", "%0D").replace("\n", "%0A").replace("\"", "%22");
  }
}
