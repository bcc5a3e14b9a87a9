/**
 * Python packaging rules without I/O: PEP 503 project names, PEP 440 versions, wheel and sdist file
 * names, and core metadata. Every parse error is a {@link
 * dev.wheelhouse.packaging.PackagingException} whose message can be returned to a client as is.
 */
package dev.wheelhouse.packaging;
