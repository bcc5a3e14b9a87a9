package dev.wheelhouse.server.pypi;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.ProjectRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** PEP 691 JSON pages, API version 1.1 (PEP 700: versions, size, upload-time). */
final class JsonPages {
  private static final ObjectMapper JSON = new ObjectMapper();
  // PEP 700's upload-time format, always UTC with microseconds.
  static final DateTimeFormatter UPLOAD_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private JsonPages() {}

  static byte[] project(ProjectPage page, String filesBase) {
    return write(
        gen -> {
          gen.writeStartObject();
          meta(gen);
          gen.writeStringField("name", page.name().value());
          gen.writeArrayFieldStart("versions");
          TreeSet<Version> versions = new TreeSet<>();
          page.files().forEach(f -> versions.add(Version.parse(f.version())));
          for (Version version : versions) {
            gen.writeString(version.toString());
          }
          gen.writeEndArray();
          gen.writeArrayFieldStart("files");
          for (FileRecord file : page.files()) {
            file(gen, file, filesBase);
          }
          gen.writeEndArray();
          gen.writeEndObject();
        });
  }

  static byte[] root(List<ProjectRecord> projects) {
    return write(
        gen -> {
          gen.writeStartObject();
          meta(gen);
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

  private static void file(JsonGenerator gen, FileRecord file, String filesBase)
      throws IOException {
    gen.writeStartObject();
    gen.writeStringField("filename", file.filename());
    gen.writeStringField("url", FileLinks.href(filesBase, file));
    gen.writeObjectFieldStart("hashes");
    gen.writeStringField("sha256", file.sha256().hex());
    for (Map.Entry<String, String> extra : file.extraHashes().entrySet()) {
      gen.writeStringField(extra.getKey(), extra.getValue());
    }
    gen.writeEndObject();
    if (file.requiresPython().isPresent()) {
      gen.writeStringField("requires-python", file.requiresPython().get());
    }
    if (file.coreMetadata().isPresent()) {
      gen.writeObjectFieldStart("core-metadata");
      gen.writeStringField("sha256", file.coreMetadata().get().hex());
      gen.writeEndObject();
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
    gen.writeNumberField("size", file.size());
    gen.writeStringField("upload-time", UPLOAD_TIME.format(file.uploadTime()));
    gen.writeEndObject();
  }

  private static void meta(JsonGenerator gen) throws IOException {
    gen.writeObjectFieldStart("meta");
    gen.writeStringField("api-version", "1.1");
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
