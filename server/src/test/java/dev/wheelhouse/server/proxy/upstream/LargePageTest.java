package dev.wheelhouse.server.proxy.upstream;

import static dev.wheelhouse.server.proxy.upstream.TestPages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Pages with 10,000 files (big projects on PyPI have that many) parse in well under a second, so
 * nothing in the parser is quadratic in the number of files. Each page is timed as the best of a
 * few runs after a warm-up: JIT compilation and other processes on a busy build machine are not
 * what this measures.
 */
class LargePageTest {
  static final int FILES = 10_000;
  static final int RUNS = 3;
  static final URI PAGE = URI.create("https://pypi.example/simple/big-project/");
  static final Duration LIMIT = Duration.ofSeconds(1);

  interface PageParse {
    UpstreamProject parse() throws UpstreamFormatException;
  }

  @Test
  void jsonPage() throws UpstreamFormatException {
    byte[] body = json(FILES);
    UpstreamProject project = UpstreamPageParser.parseJson(body, PAGE);

    assertThat(project.files()).hasSize(FILES);
    assertThat(project.files().get(FILES - 1).filename()).isEqualTo(wheel(FILES - 1));
    assertThat(project.files().get(FILES - 1).sha256()).contains(hash(FILES - 1));
    assertThat(bestOf(() -> UpstreamPageParser.parseJson(body, PAGE))).isLessThan(LIMIT);
  }

  @Test
  void htmlPage() throws UpstreamFormatException {
    byte[] body = html(FILES);
    UpstreamProject project = UpstreamPageParser.parseHtml(body, PAGE, "big-project");

    assertThat(project.files()).hasSize(FILES);
    assertThat(project.files().get(FILES - 1).url())
        .hasToString(
            "https://pypi.example/packages/"
                + (FILES - 1)
                + "/"
                + wheel(FILES - 1).replace("+", "%2B"));
    assertThat(bestOf(() -> UpstreamPageParser.parseHtml(body, PAGE, "big-project")))
        .isLessThan(LIMIT);
  }

  static Duration bestOf(PageParse parse) throws UpstreamFormatException {
    Duration best = Duration.ofDays(1);
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      parse.parse();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      best = took.compareTo(best) < 0 ? took : best;
    }
    return best;
  }

  static String wheel(int i) {
    return "big_project-" + (i / 100) + "." + (i % 100) + "+cu121-cp311-cp311-linux_x86_64.whl";
  }

  static String hash(int i) {
    return String.format("%064x", i);
  }

  static byte[] json(int files) {
    StringBuilder out =
        new StringBuilder("{\"meta\": {\"api-version\": \"1.1\"}, \"name\": \"big-project\",")
            .append(" \"files\": [");
    for (int i = 0; i < files; i++) {
      out.append(i == 0 ? "" : ",")
          .append("{\"filename\": \"")
          .append(wheel(i))
          .append("\", \"url\": \"../../packages/")
          .append(i)
          .append('/')
          .append(wheel(i).replace("+", "%2B"))
          .append("\", \"hashes\": {\"sha256\": \"")
          .append(hash(i))
          .append("\"}, \"requires-python\": \">=3.8\", \"size\": ")
          .append(1000 + i)
          .append(", \"upload-time\": \"2024-01-01T00:00:00.000000Z\", \"yanked\": false,")
          .append(" \"core-metadata\": {\"sha256\": \"")
          .append(hash(i))
          .append("\"}}");
    }
    return utf8(out.append("]}").toString());
  }

  static byte[] html(int files) {
    StringBuilder out =
        new StringBuilder("<!DOCTYPE html>\n<html><body><h1>Links for big-project</h1>\n");
    for (int i = 0; i < files; i++) {
      out.append("<a href=\"../../packages/")
          .append(i)
          .append('/')
          .append(wheel(i).replace("+", "%2B"))
          .append("#sha256=")
          .append(hash(i))
          .append("\" data-requires-python=\"&gt;=3.8\" data-core-metadata=\"sha256=")
          .append(hash(i))
          .append("\">")
          .append(wheel(i))
          .append("</a><br />\n");
    }
    return utf8(out.append("</body></html>\n").toString());
  }
}
