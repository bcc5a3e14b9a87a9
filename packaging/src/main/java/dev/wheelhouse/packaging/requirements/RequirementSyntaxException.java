package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.PackagingException;

/** A requirement, specifier, marker or lock file that does not parse; the message says where. */
public class RequirementSyntaxException extends PackagingException {
  public RequirementSyntaxException(String message) {
    super(message);
  }
}
