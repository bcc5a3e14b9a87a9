package dev.wheelhouse.server.upload;

import dev.wheelhouse.packaging.CoreMetadata;
import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.SdistFilename;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.packaging.WheelFilename;
import dev.wheelhouse.server.archive.ArchiveInspector;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.provenance.ProvenanceJson;
import dev.wheelhouse.storage.BlobRecord;
import dev.wheelhouse.storage.BlobStore;
import dev.wheelhouse.storage.FileRecord;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.Provenance;
import dev.wheelhouse.storage.Sha256;
import dev.wheelhouse.storage.StoredBlob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates and stores one upload into a hosted index. Order matters: everything is checked against
 * the temp file first; the blob is committed before the metadata that names it; a file name, once
 * taken, keeps its bytes forever. An upload may say how the file was built (a {@code provenance}
 * JSON object and a {@code build_log} file), kept with the file; re-uploading a file that has none
 * adds it. Blocking: call on a worker thread.
 */
public final class UploadService {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

  private final BlobStore blobs;
  private final MetadataStore metadata;
  private final Clock clock;
  // Serializes the short check-then-record step, so two uploads of one name cannot both win.
  private final Object recordLock = new Object();

  public UploadService(BlobStore blobs, MetadataStore metadata, Clock clock) {
    this.blobs = blobs;
    this.metadata = metadata;
    this.clock = clock;
  }

  public UploadOutcome upload(UploadRequest request) throws IOException {
    checkProtocol(request);
    DistributionFilename name = DistributionFilename.parse(request.filename());
    checkFormAgreesWithName(request, name);
    Optional<String> provenance = request.rawField("provenance").map(ProvenanceJson::validate);
    if (request.buildLog().isPresent() && provenance.isEmpty()) {
      throw HttpProblem.badRequest("a build_log comes with a provenance field; none was sent");
    }

    UploadDigests digests = UploadDigests.of(request.content());
    checkDigest(request, "sha256_digest", 64, digests.sha256());
    checkDigest(request, "md5_digest", 32, digests.md5());
    checkDigest(request, "blake2_256_digest", 64, digests.blake2b256());
    Sha256 sha = Sha256.of(digests.sha256());

    Optional<FileRecord> existing =
        metadata.getFile(request.index(), name.project().value(), name.filename());
    if (existing.isPresent()) {
      UploadOutcome outcome = sameBytesOrConflict(existing.get(), sha);
      addProvenance(request, existing.get(), provenance);
      return outcome;
    }

    Optional<String> formRequiresPython = request.field("requires_python");
    Optional<String> requiresPython = formRequiresPython;
    Optional<Sha256> coreMetadata = Optional.empty();
    String displayName = request.field("name").orElse(name.project().value());
    if (name instanceof WheelFilename wheel) {
      ArchiveInspector.WheelContents contents = ArchiveInspector.wheel(request.content(), wheel);
      CoreMetadata parsed = contents.metadata();
      displayName = parsed.name();
      requiresPython = parsed.requiresPython().or(() -> formRequiresPython);
      StoredBlob metadataBlob =
          blobs.put(new ByteArrayInputStream(contents.metadataBytes()), Optional.empty());
      metadata.putBlob(new BlobRecord(metadataBlob.sha256(), metadataBlob.size(), clock.instant()));
      coreMetadata = Optional.of(metadataBlob.sha256());
    } else {
      ArchiveInspector.sdist(request.content(), (SdistFilename) name);
    }

    Optional<Provenance> built = commitProvenance(request, provenance);
    StoredBlob blob = blobs.adopt(request.content(), Optional.of(sha));
    FileRecord record =
        new FileRecord(
            request.index(),
            name.project().value(),
            name.filename(),
            name.version().toString(),
            sha,
            blob.size(),
            clock.instant(),
            requiresPython,
            Optional.empty(),
            coreMetadata,
            Map.of());
    synchronized (recordLock) {
      Optional<FileRecord> raced =
          metadata.getFile(request.index(), name.project().value(), name.filename());
      if (raced.isPresent()) {
        UploadOutcome outcome = sameBytesOrConflict(raced.get(), sha);
        built.ifPresent(
            b -> metadata.addProvenance(record.index(), record.project(), record.filename(), b));
        return outcome;
      }
      metadata.putFile(record, displayName, built);
    }
    return UploadOutcome.STORED;
  }

  /** Gives an already stored file the provenance of this upload, unless it has one. */
  private void addProvenance(UploadRequest request, FileRecord file, Optional<String> provenance)
      throws IOException {
    if (provenance.isEmpty()
        || metadata.getProvenance(file.index(), file.project(), file.filename()).isPresent()) {
      return;
    }
    Optional<Provenance> built = commitProvenance(request, provenance);
    metadata.addProvenance(file.index(), file.project(), file.filename(), built.orElseThrow());
  }

  /** Commits the build log, if any (streamed from its temp file), and records its blob. */
  private Optional<Provenance> commitProvenance(UploadRequest request, Optional<String> provenance)
      throws IOException {
    if (provenance.isEmpty()) {
      return Optional.empty();
    }
    Optional<Sha256> log = Optional.empty();
    if (request.buildLog().isPresent()) {
      StoredBlob stored = blobs.adopt(request.buildLog().get(), Optional.empty());
      metadata.putBlob(new BlobRecord(stored.sha256(), stored.size(), clock.instant()));
      log = Optional.of(stored.sha256());
    }
    return Optional.of(new Provenance(provenance.get(), log));
  }

  private static UploadOutcome sameBytesOrConflict(FileRecord existing, Sha256 sha) {
    if (existing.sha256().equals(sha)) {
      return UploadOutcome.EXISTS;
    }
    throw new HttpProblem(
        409,
        "File already exists: "
            + existing.filename()
            + " is already stored with different content (sha256 "
            + existing.sha256().hex()
            + "); files are immutable, upload a new version");
  }

  private static void checkProtocol(UploadRequest request) {
    // Netty's multipart decoder drops the leading colon of twine's ":action" field name.
    String action = request.field(":action").or(() -> request.field("action")).orElse("");
    if (!action.equals("file_upload")) {
      throw HttpProblem.badRequest(
          "unsupported :action '" + action + "'; this server accepts file_upload");
    }
    String protocol = request.field("protocol_version").orElse("1");
    if (!protocol.equals("1")) {
      throw HttpProblem.badRequest("unsupported protocol_version '" + protocol + "'");
    }
  }

  private static void checkFormAgreesWithName(UploadRequest request, DistributionFilename name) {
    request
        .field("name")
        .ifPresent(
            formName -> {
              if (!ProjectName.normalize(formName).equals(name.project().value())) {
                throw HttpProblem.badRequest(
                    "form field name '" + formName + "' does not match " + name.filename());
              }
            });
    request
        .field("version")
        .ifPresent(
            formVersion -> {
              if (!Version.isValid(formVersion)
                  || !Version.parse(formVersion).equals(name.version())) {
                throw HttpProblem.badRequest(
                    "form field version '" + formVersion + "' does not match " + name.filename());
              }
            });
    request
        .field("filetype")
        .ifPresent(
            filetype -> {
              String expected = name instanceof WheelFilename ? "bdist_wheel" : "sdist";
              if (!filetype.equals(expected)) {
                throw HttpProblem.badRequest(
                    "filetype '" + filetype + "' does not fit " + name.filename());
              }
            });
  }

  private static void checkDigest(UploadRequest request, String field, int length, String actual) {
    Optional<String> declared = request.field(field);
    if (declared.isEmpty()) {
      return;
    }
    String value = declared.get();
    if (value.length() != length || !HEX.matcher(value).matches()) {
      throw HttpProblem.badRequest(
          field + " must be " + length + " lowercase hex characters, got '" + value + "'");
    }
    if (!value.equals(actual)) {
      throw HttpProblem.badRequest(
          field
              + " does not match the uploaded content (declared "
              + value
              + ", got "
              + actual
              + ")");
    }
  }
}
