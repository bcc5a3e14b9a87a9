package dev.wheelhouse.server.apt;

import java.util.Locale;

/** Media types of apt repository files, by name. */
final class AptContentTypes {
  private AptContentTypes() {}

  static String of(AptPath path) {
    String name = path.fileName().toLowerCase(Locale.ROOT);
    if (name.endsWith(".deb") || name.endsWith(".udeb") || name.endsWith(".ddeb")) {
      return "application/vnd.debian.binary-package";
    }
    if (name.endsWith(".gz")) {
      return "application/gzip";
    }
    if (name.endsWith(".xz")) {
      return "application/x-xz";
    }
    if (name.endsWith(".bz2")) {
      return "application/x-bzip2";
    }
    if (name.endsWith(".gpg")) {
      return "application/pgp-signature";
    }
    if (name.equals("inrelease")
        || name.equals("release")
        || name.startsWith("packages")
        || name.startsWith("sources")
        || name.startsWith("translation")
        || name.equals("index")) {
      return "text/plain; charset=utf-8";
    }
    return "application/octet-stream";
  }
}
