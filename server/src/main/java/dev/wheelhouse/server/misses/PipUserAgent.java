package dev.wheelhouse.server.misses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.packaging.tags.Arch;
import dev.wheelhouse.packaging.tags.Libc;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the platform out of pip's and uv's User-Agent: {@code pip/<version> <json>} (or {@code
 * uv/...}), the JSON as pip's {@code user_agent()} writes it for PyPI's linehaul ({@code
 * implementation.name}, {@code python}, {@code system.name}, {@code cpu}, {@code distro.libc}).
 * Only CPython on Linux with a known CPU and C library is a platform; anything else is empty.
 */
final class PipUserAgent {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MAJOR_MINOR = Pattern.compile("([0-9]+)\\.([0-9]+)(?:[.+a-z0-9]*)");
  // Alpine 3.13 moved to musl 1.2; pip's libc detection knows only glibc, so Alpine says nothing.
  private static final Pattern ALPINE_VERSION = Pattern.compile("3\\.([0-9]+)(?:\\..*)?");

  private PipUserAgent() {}

  static Optional<ClientPlatform> parse(String userAgent) {
    if (userAgent == null || !(userAgent.startsWith("pip/") || userAgent.startsWith("uv/"))) {
      return Optional.empty();
    }
    int space = userAgent.indexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    JsonNode data;
    try {
      data = JSON.readTree(userAgent.substring(space + 1));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (data == null
        || !data.isObject()
        || !data.path("implementation").path("name").asText().equals("CPython")
        || !data.path("system").path("name").asText().equals("Linux")) {
      return Optional.empty();
    }
    Optional<Arch> arch = Arch.fromName(data.path("cpu").asText(null));
    Matcher python = MAJOR_MINOR.matcher(data.path("python").asText(""));
    if (arch.isEmpty() || !python.matches()) {
      return Optional.empty();
    }
    try {
      return libc(data.path("distro"))
          .map(
              libc ->
                  new ClientPlatform(arch.get(), python.group(1) + "." + python.group(2), libc));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a libc version that names no manylinux or musllinux tag
    }
  }

  private static Optional<Libc> libc(JsonNode distro) {
    String lib = distro.path("libc").path("lib").asText("");
    // musl reports three parts (1.2.5): the tags know major.minor only.
    Matcher version = MAJOR_MINOR.matcher(distro.path("libc").path("version").asText(""));
    if ((lib.equals("glibc") || lib.equals("musl")) && version.matches()) {
      return Optional.of(
          new Libc(
              lib.equals("glibc") ? Libc.Kind.GLIBC : Libc.Kind.MUSL,
              Integer.parseInt(version.group(1)),
              Integer.parseInt(version.group(2))));
    }
    Matcher alpine = ALPINE_VERSION.matcher(distro.path("version").asText(""));
    if (distro.path("name").asText("").startsWith("Alpine") && alpine.matches()) {
      return Optional.of(
          new Libc(Libc.Kind.MUSL, 1, Integer.parseInt(alpine.group(1)) >= 13 ? 2 : 1));
    }
    return Optional.empty();
  }
}
