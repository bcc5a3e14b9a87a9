package dev.wheelhouse.server.proxy.upstream;

import static dev.wheelhouse.server.proxy.upstream.TestPages.filenames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link UpstreamPageParser#parse} picks JSON or HTML by content type, sniffing when unknown. */
class ContentTypeTest {
  static final URI PAGE = URI.create("https://upstream.example/simple/demo-pkg/");
  // The JSON page spells the name "Demo_Pkg"; an HTML page takes the requested "demo-pkg". The
  // resulting name shows which parser ran.
  static final String JSON =
      "{\"meta\": {\"api-version\": \"1.1\"}, \"name\": \"Demo_Pkg\", \"files\": [{\"filename\":"
          + " \"demo_pkg-1.0.tar.gz\", \"url\": \"demo_pkg-1.0.tar.gz\", \"hashes\": {}}]}";
  static final String HTML = "<a href=\"demo_pkg-1.0.tar.gz\">demo_pkg-1.0.tar.gz</a>";

  @ParameterizedTest(name = "{0} + {1} body -> {2}")
  @CsvSource(
      nullValues = "-",
      value = {
        "application/vnd.pypi.simple.v1+json, json, Demo_Pkg",
        "'application/vnd.pypi.simple.v1+json; charset=utf-8', json, Demo_Pkg",
        "Application/VND.PyPI.Simple.V1+JSON, json, Demo_Pkg",
        "application/vnd.pypi.simple.latest+json, json, Demo_Pkg",
        "application/json, json, Demo_Pkg",
        "text/html, html, demo-pkg",
        "'text/html; charset=utf-8', html, demo-pkg",
        "application/vnd.pypi.simple.v1+html, html, demo-pkg",
        "application/xhtml+xml, html, demo-pkg",
        // Missing or unknown: sniffed from the first byte.
        "-, html, demo-pkg",
        "-, json, Demo_Pkg",
        "'', html, demo-pkg",
        "text/plain, html, demo-pkg",
        "application/octet-stream, json, Demo_Pkg",
        "binary/octet-stream, bom+html, demo-pkg",
        "-, bom+json, Demo_Pkg",
      })
  void picksTheParser(String contentType, String body, String name) throws UpstreamFormatException {
    UpstreamProject project = UpstreamPageParser.parse(body(body), contentType, PAGE, "demo-pkg");
    assertThat(project.name()).isEqualTo(name);
    assertThat(filenames(project)).containsExactly("demo_pkg-1.0.tar.gz");
  }

  @ParameterizedTest(name = "{0} + {1}")
  @CsvSource(
      nullValues = "-",
      value = {
        "-, '', unsupported content type '(none)' for a simple index page",
        "text/plain, 'Not Found', unsupported content type 'text/plain' for a simple index page",
        "application/octet-stream, '   ', unsupported content type 'application/octet-stream'",
        // Declared JSON is parsed as JSON, whatever it looks like.
        "application/vnd.pypi.simple.v1+json, '<html><a href=\"x\">', not valid JSON",
      })
  void rejects(String contentType, String body, String message) {
    assertThatThrownBy(
            () ->
                UpstreamPageParser.parse(
                    body.getBytes(StandardCharsets.UTF_8), contentType, PAGE, "demo-pkg"))
        .isInstanceOf(UpstreamFormatException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void declaredHtmlWithAJsonBodyHasNoFiles() throws UpstreamFormatException {
    assertThat(UpstreamPageParser.parse(body("json"), "text/html", PAGE, "demo-pkg").files())
        .isEmpty();
  }

  @Test
  void contentTypeInErrorsIsQuotedOnOneLine() {
    assertThatThrownBy(
            () -> UpstreamPageParser.parse(new byte[] {1, 2}, "x/y\r\nSet-Cookie: a", PAGE, "d"))
        .isInstanceOf(UpstreamFormatException.class)
        .hasMessage(
            "unsupported content type 'x/y\\u000d\\u000aSet-Cookie: a' for a simple index page");
  }

  static byte[] body(String kind) {
    String bom = "\uFEFF \n";
    String text =
        switch (kind) {
          case "json" -> JSON;
          case "html" -> HTML;
          case "bom+json" -> bom + JSON;
          case "bom+html" -> bom + HTML;
          default -> throw new IllegalArgumentException(kind);
        };
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
