package dev.wheelhouse.server.pypi;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.storage.ProjectRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * PEP 691 JSON pages, API version 1.1 (PEP 700: versions, size, upload-time), with the private key
 * {@code _provenance} (PEP 691 reserves keys starting with an underscore) on files built by the
 * builder.
 */
final class JsonPages {
  private static final ObjectMapper JSON = new ObjectMapper();
  // PEP 700's upload-time format, always UTC with microseconds.
  static final DateTimeFormatter UPLOAD_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private JsonPages() {}

  /**
   * A project page.
   *
   * @param filesBase where {@code files/} is, relative to the page
   * @param provenanceBase where {@code provenance/} is, relative to the page
   */
  static byte[] project(ProjectPage page, String filesBase, String provenanceBase) {
    return write(
        gen -> {
          gen.writeStartObject();
          // API 1.1 requires every file's size; a proxied file not yet fetched may lack one.
          meta(gen, page.files().stream().allMatch(f -> f.size().isPresent()) ? "1.1" : "1.0");
          gen.writeStringField("name", page.name().value());
          gen.writeArrayFieldStart("versions");
          TreeSet<Version> versions = new TreeSet<>();
          page.files().forEach(f -> versions.add(Version.parse(f.version())));
          for (Version version : versions) {
            gen.writeString(version.toString());
          }
          gen.writeEndArray();
          gen.writeArrayFieldStart("files");
          for (PageFile file : page.files()) {
            file(gen, file, filesBase, provenanceBase);
          }
          gen.writeEndArray();
          gen.writeEndObject();
        });
  }

  static byte[] root(List<ProjectRecord> projects) {
    return write(
        gen -> {
          gen.writeStartObject();
          meta(gen, "1.1");
          gen.writeArrayFieldStart("projects");
          for (ProjectRecord project : projects) {
            gen.writeStartObject();
            gen.writeStringField("name", project.displayName());
            gen.writeEndObject();
          }
          gen.writeEndArray();
          gen.writeEndObject();
        });
  }

  private static void file(
      JsonGenerator gen, PageFile file, String filesBase, String provenanceBase)
      throws IOException {
    gen.writeStartObject();
    gen.writeStringField("filename", file.filename());
    gen.writeStringField("url", FileLinks.href(filesBase, file));
    gen.writeObjectFieldStart("hashes");
    if (file.sha256().isPresent()) {
      gen.writeStringField("sha256", file.sha256().get());
    }
    for (Map.Entry<String, String> extra : file.extraHashes().entrySet()) {
      gen.writeStringField(extra.getKey(), extra.getValue());
    }
    gen.writeEndObject();
    if (file.requiresPython().isPresent()) {
      gen.writeStringField("requires-python", file.requiresPython().get());
    }
    if (file.coreMetadata().isPresent() && file.coreMetadata().get().sha256().isPresent()) {
      gen.writeObjectFieldStart("core-metadata");
      gen.writeStringField("sha256", file.coreMetadata().get().sha256().get());
      gen.writeEndObject();
    } else if (file.coreMetadata().isPresent()) {
      gen.writeBooleanField("core-metadata", true);
    } else {
      gen.writeBooleanField("core-metadata", false);
    }
    if (file.yanked().isPresent()) {
      String reason = file.yanked().get();
      if (reason.isEmpty()) {
        gen.writeBooleanField("yanked", true);
      } else {
        gen.writeStringField("yanked", reason);
      }
    } else {
      gen.writeBooleanField("yanked", false);
    }
    if (file.size().isPresent()) {
      gen.writeNumberField("size", file.size().getAsLong());
    }
    if (file.uploadTime().isPresent()) {
      gen.writeStringField("upload-time", UPLOAD_TIME.format(file.uploadTime().get()));
    }
    if (file.hasProvenance()) {
      gen.writeStringField("_provenance", FileLinks.provenanceHref(provenanceBase, file));
    }
    gen.writeEndObject();
  }

  private static void meta(JsonGenerator gen, String apiVersion) throws IOException {
    gen.writeObjectFieldStart("meta");
    gen.writeStringField("api-version", apiVersion);
    gen.writeEndObject();
  }

  private interface Body {
    void write(JsonGenerator gen) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator gen = JSON.getFactory().createGenerator(out)) {
      body.write(gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
