/**
 * What a project asks for: PEP 440 specifier sets, PEP 508 requirements and markers, pip's
 * requirements files and PEP 751 lock files. No I/O: includes are read through a caller's reader.
 */
package dev.wheelhouse.packaging.requirements;
