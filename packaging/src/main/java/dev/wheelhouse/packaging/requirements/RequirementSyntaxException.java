package dev.wheelhouse.packaging.requirements;

import dev.wheelhouse.packaging.PackagingException;

/** A requirement, specifier, marker or lock file that does not parse; the message says where. */
public class RequirementSyntaxException extends PackagingException {
  /** An error with a one-line message that says what is wrong and where. */
  public RequirementSyntaxException(String message) {
    super(message);
  }
}
