package dev.wheelhouse.cli.upload;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.packaging.CoreMetadata;
import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.WheelFilename;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A local file checked to be uploadable: it exists, its name is a valid wheel or sdist filename,
 * and its core metadata can be read. Checked for every file before anything is sent, so that a typo
 * in the last argument does not leave half of a release uploaded.
 *
 * @param path the file as given on the command line
 * @param filename its last path segment, the name it is uploaded under
 * @param filetype {@code bdist_wheel} or {@code sdist}, as the upload API names them
 * @param name the project name as its metadata writes it (the server shows it so)
 * @param version the normalized version
 * @param pyversion the wheel's python tags, or {@code source} for an sdist
 * @param metadata the file's METADATA or PKG-INFO
 */
record Distribution(
    Path path,
    String filename,
    String filetype,
    String name,
    String version,
    String pyversion,
    CoreMetadata metadata) {

  static Distribution inspect(Path path) {
    Path last = path.getFileName();
    if (last == null) {
      throw invalid(path, "not a file");
    }
    String filename = last.toString();
    if (!Files.exists(path)) {
      throw invalid(path, "no such file");
    }
    if (!Files.isRegularFile(path)) {
      throw invalid(path, "not a regular file");
    }
    if (!Files.isReadable(path)) {
      throw invalid(path, "not readable");
    }
    DistributionFilename parsed;
    try {
      parsed = DistributionFilename.parse(filename);
    } catch (PackagingException e) {
      throw invalid(path, e.getMessage());
    }
    boolean wheel = parsed instanceof WheelFilename;
    CoreMetadata metadata;
    try {
      metadata = ArchiveMetadata.read(path, wheel);
    } catch (IOException e) {
      throw invalid(path, "cannot read its metadata: " + e.getMessage());
    }
    return new Distribution(
        path,
        filename,
        wheel ? "bdist_wheel" : "sdist",
        metadata.name(),
        parsed.version().toString(),
        parsed instanceof WheelFilename w ? String.join(".", w.pythonTags()) : "source",
        metadata);
  }

  private static CommandFailure invalid(Path path, String reason) {
    return CommandFailure.failed("upload failed: " + path + ": " + reason);
  }
}
