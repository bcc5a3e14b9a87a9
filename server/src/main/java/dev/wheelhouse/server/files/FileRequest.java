package dev.wheelhouse.server.files;

import dev.wheelhouse.config.IndexType;
import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.packaging.ProjectName;

/**
 * A validated {@code /files/<index>/<project>/<filename>} request.
 *
 * @param distribution the distribution file named, without a {@code .metadata} suffix
 * @param metadata whether the request is for the PEP 658 {@code <distribution>.metadata} file
 */
public record FileRequest(
    String index,
    IndexType indexType,
    ProjectName project,
    DistributionFilename distribution,
    boolean metadata) {

  /** The name as requested, with the {@code .metadata} suffix when there is one. */
  public String requestedName() {
    return distribution.filename() + (metadata ? ".metadata" : "");
  }
}
