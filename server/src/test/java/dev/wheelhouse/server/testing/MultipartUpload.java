package dev.wheelhouse.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A raw legacy-API upload, built by hand the way twine sends it, so tests control every field. */
public final class MultipartUpload {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private final Map<String, String> fields = new LinkedHashMap<>();
  private String filename;
  private byte[] content = new byte[0];
  private String authorization;
  private final List<Attachment> attachments = new ArrayList<>();

  /** A further file part, sent after the distribution. */
  @SuppressWarnings("ArrayRecordComponent") // written once into the body, never compared
  private record Attachment(String field, String filename, String contentType, byte[] bytes) {}

  /** An upload of {@code file} with the fields twine sends, digests included. */
  public static MultipartUpload of(Path file, String name, String version) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    MultipartUpload upload = new MultipartUpload();
    upload.filename = file.getFileName().toString();
    upload.content = bytes;
    upload.field(":action", "file_upload").field("protocol_version", "1");
    upload.field("name", name).field("version", version);
    upload.field("filetype", upload.filename.endsWith(".whl") ? "bdist_wheel" : "sdist");
    upload.field("metadata_version", "2.1");
    upload.field("sha256_digest", hex("SHA-256", bytes)).field("md5_digest", hex("MD5", bytes));
    return upload;
  }

  public MultipartUpload field(String name, String value) {
    fields.put(name, value);
    return this;
  }

  public MultipartUpload without(String name) {
    fields.remove(name);
    return this;
  }

  public MultipartUpload filename(String name) {
    this.filename = name;
    return this;
  }

  public MultipartUpload content(byte[] bytes) {
    this.content = bytes.clone();
    return this;
  }

  /** Adds a file part after the distribution, e.g. a {@code build_log}. */
  public MultipartUpload attach(String field, String filename, String contentType, byte[] bytes) {
    attachments.add(new Attachment(field, filename, contentType, bytes.clone()));
    return this;
  }

  public MultipartUpload token(String token) {
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("__token__:" + token).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  public HttpResponse<String> post(String url) throws IOException, InterruptedException {
    String boundary = "----wheelhouse" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> f : fields.entrySet()) {
      write(body, "--" + boundary + "\r\n");
      write(body, "Content-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n");
      write(body, f.getValue() + "\r\n");
    }
    if (filename != null) {
      write(body, "--" + boundary + "\r\n");
      write(
          body,
          "Content-Disposition: form-data; name=\"content\"; filename=\"" + filename + "\"\r\n");
      write(body, "Content-Type: application/octet-stream\r\n\r\n");
      body.write(content);
      write(body, "\r\n");
    }
    for (Attachment part : attachments) {
      write(body, "--" + boundary + "\r\n");
      write(
          body,
          "Content-Disposition: form-data; name=\""
              + part.field()
              + "\"; filename=\""
              + part.filename()
              + "\"\r\n");
      write(body, "Content-Type: " + part.contentType() + "\r\n\r\n");
      body.write(part.bytes());
      write(body, "\r\n");
    }
    write(body, "--" + boundary + "--\r\n");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static String hex(String algorithm, byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
