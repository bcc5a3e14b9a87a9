/**
 * The Debian repository index formats the apt pull-through cache reads: {@code Release} and
 * clear-signed {@code InRelease} files ({@link dev.wheelhouse.server.apt.index.ReleaseFile}), the
 * compressions indexes come in ({@link dev.wheelhouse.server.apt.index.Compression}), and streaming
 * scans of {@code Packages} and {@code Sources} indexes for the pool files they list ({@link
 * dev.wheelhouse.server.apt.index.PackagesScanner}, {@link
 * dev.wheelhouse.server.apt.index.SourcesScanner}).
 *
 * <p>Nothing here checks OpenPGP signatures; {@code ReleaseFile} only removes the armor around the
 * signed text.
 */
package dev.wheelhouse.server.apt.index;
