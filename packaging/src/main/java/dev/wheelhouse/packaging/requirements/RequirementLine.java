package dev.wheelhouse.packaging.requirements;

import java.util.List;

/**
 * One requirement from a requirements file with pip's per-line options.
 *
 * @param requirement the PEP 508 part
 * @param hashes {@code --hash} values as {@code algorithm:hexdigest}, lowercase, in file order
 * @param source where it came from, {@code file:line}, for messages
 * @param constraint whether it came from a {@code -c} file (restricts versions, adds nothing)
 */
public record RequirementLine(
    Requirement requirement, List<String> hashes, String source, boolean constraint) {}
