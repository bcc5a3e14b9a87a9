package dev.wheelhouse.server.proxy.upstream;

import static dev.wheelhouse.server.proxy.upstream.TestPages.file;
import static dev.wheelhouse.server.proxy.upstream.TestPages.filenames;
import static dev.wheelhouse.server.proxy.upstream.TestPages.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PEP 503 pages: PyPI, PyTorch and {@code <base href>} fixtures, then the odd links upstreams
 * write.
 */
class HtmlPageTest {
  static final String HASH = "2a02aba9ed12e4ac4eb3ea9421c420301a0c6460d9830d74a9df87efa4912010";
  static final URI DEMO_PAGE = URI.create("https://upstream.example/simple/demo/");

  @Test
  void pypiPage() throws UpstreamFormatException {
    UpstreamProject requests =
        UpstreamPageParser.parseHtml(
            TestPages.resource("pypi-requests.html"),
            URI.create("https://pypi.org/simple/requests/"),
            "requests");

    assertThat(requests.name()).isEqualTo("requests");
    // The .exe, .egg and .tar.bz2 links are skipped.
    assertThat(filenames(requests))
        .containsExactly(
            "requests-2.0.0-py2.py3-none-any.whl",
            "requests-2.0.0.tar.gz",
            "requests-2.27.0-py2.py3-none-any.whl",
            "requests-2.32.0-py3-none-any.whl",
            "requests-2.32.0.tar.gz",
            "requests-2.32.3-py3-none-any.whl",
            "requests-2.32.3.tar.gz",
            "requests-2.31.0-py3-none-any.whl",
            "requests-2.30.0-py3-none-any.whl",
            "requests-0.2.0.tar.gz");
    assertThat(file(requests, "requests-2.32.3-py3-none-any.whl"))
        .isEqualTo(
            new UpstreamFile(
                "requests-2.32.3-py3-none-any.whl",
                URI.create(
                    "https://pypi.org/packages/ed/0e/f9c4a70ac81f7b78a52fc1364faf86e133eea09f5f150989dc8a6f509c41/requests-2.32.3-py3-none-any.whl"),
                Optional.of("bd0c80ddb748e530fc1c4dec6b66909a820f246d37f72b3461438ce1fcd8a30a"),
                Optional.of(">=3.8"),
                Optional.empty(),
                Optional.of(
                    new CoreMetadataRef(
                        Optional.of(
                            "951e9f39bc1b7c117dd4aa12cd91ce01d6020305ba58626fa9aaa3e3be88da92"))),
                OptionalLong.empty(),
                Optional.empty()));
    assertThat(file(requests, "requests-2.27.0-py2.py3-none-any.whl").requiresPython())
        .contains(">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*, !=3.5.*");
    assertThat(file(requests, "requests-2.0.0.tar.gz").requiresPython()).isEmpty();
    assertThat(file(requests, "requests-2.0.0.tar.gz").yanked()).isEmpty();
    assertThat(file(requests, "requests-2.32.0-py3-none-any.whl").yanked())
        .contains("Yanked due to conflicts with CVE-2024-35195 mitigation");
    assertThat(file(requests, "requests-2.32.0.tar.gz").yanked()).contains("");
    // Legacy data-dist-info-metadata alone, and data-core-metadata="true".
    assertThat(file(requests, "requests-2.31.0-py3-none-any.whl").coreMetadata())
        .contains(
            new CoreMetadataRef(
                Optional.of("3c06faa33b0df55d1c8dc1826f264eb7fbaf8f1301ed397e04ba00c5023491ed")));
    assertThat(file(requests, "requests-2.30.0-py3-none-any.whl").coreMetadata())
        .contains(new CoreMetadataRef(Optional.empty()));
    assertThat(file(requests, "requests-2.0.0.tar.gz").coreMetadata()).isEmpty();
    // Only an md5 fragment: no sha256, and the fragment is gone from the URL.
    assertThat(file(requests, "requests-0.2.0.tar.gz").sha256()).isEmpty();
    assertThat(file(requests, "requests-0.2.0.tar.gz").url().toString())
        .endsWith("/requests-0.2.0.tar.gz");
  }

  @Test
  void pytorchPage() throws UpstreamFormatException {
    UpstreamProject torch =
        UpstreamPageParser.parseHtml(
            TestPages.resource("pytorch-torch.html"),
            URI.create("https://download.pytorch.org/whl/cu121/torch/"),
            "torch");

    assertThat(torch.files())
        .extracting(UpstreamFile::filename, f -> f.url().toString(), f -> f.sha256().orElse("-"))
        .containsExactly(
            tuple(
                "torch-2.1.0+cu121-cp311-cp311-linux_x86_64.whl",
                "https://download.pytorch.org/whl/cu121/torch-2.1.0%2Bcu121-cp311-cp311-linux_x86_64.whl",
                "e4c0295ba7cf6f05dd37722716f7a5861185073ef99ea733fb8c7f94aa73490f"),
            tuple(
                "torch-2.1.0+cu121-cp311-cp311-win_amd64.whl",
                "https://download.pytorch.org/whl/cu121/torch-2.1.0%2Bcu121-cp311-cp311-win_amd64.whl",
                // Uppercase in the page, lowercase here.
                "341ae2d8b8637b66e1080a1dd44f6aa5620fe42fa7b770ce5ad885327f820b7e"),
            tuple(
                "torch-2.1.0-cp311-none-macosx_11_0_arm64.whl",
                "https://download.pytorch.org/whl/cpu/torch-2.1.0-cp311-none-macosx_11_0_arm64.whl",
                "133b515b6f3fb5e0f7403f41be2ec9e28ce027ef2031a90667c3e7afabf6c3d0"),
            tuple(
                "torch-2.2.0+cu121-cp311-cp311-linux_x86_64.whl",
                "https://download-r2.pytorch.org/whl/cu121/torch-2.2.0%2Bcu121-cp311-cp311-linux_x86_64.whl",
                "1b260b84fe882d6909c64f890e1355d0af9ee6f54891e6a76fddc4f4f6f4261c"),
            // Nightlies carry no hash.
            tuple(
                "torch-2.3.0.dev20240101+cu121-cp311-cp311-linux_x86_64.whl",
                "https://download.pytorch.org/whl/nightly/cu121/torch-2.3.0.dev20240101%2Bcu121-cp311-cp311-linux_x86_64.whl",
                "-"),
            // A raw '+' stays a '+' (never a space).
            tuple(
                "torch-2.1.0+cpu-cp311-cp311-linux_x86_64.whl",
                "https://download.pytorch.org/whl/cpu/torch-2.1.0+cpu-cp311-cp311-linux_x86_64.whl",
                "78346ed73053e81bd4445b2e245b48ef4447175af964e4ce2f7ab950bec6393e"),
            // A truncated digest counts as none.
            tuple(
                "torch-2.1.0+rocm5.6-cp311-cp311-linux_x86_64.whl",
                "https://download.pytorch.org/whl/rocm5.6/torch-2.1.0%2Brocm5.6-cp311-cp311-linux_x86_64.whl",
                "-"));
    assertThat(file(torch, "torch-2.2.0+cu121-cp311-cp311-linux_x86_64.whl").coreMetadata())
        .contains(
            new CoreMetadataRef(
                Optional.of("e7d9453548cb164939d4c461e016f91d3b9c6db6b39b9d5d8e7c6fd5e90e046b")));
  }

  @Test
  void baseHrefPage() throws UpstreamFormatException {
    UpstreamProject numpy =
        UpstreamPageParser.parseHtml(
            TestPages.resource("base-href.html"),
            URI.create("https://pypi.example.com/simple/numpy/"),
            "numpy");

    // The first <base href> wins; the second is ignored, as in browsers.
    assertThat(numpy.files())
        .extracting(f -> f.url().toString())
        .containsExactly(
            "https://mirror.example.org/pypi/packages/numpy/numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            "https://mirror.example.org/sdists/numpy-1.26.4.tar.gz",
            "https://mirror.example.org/root/numpy-1.26.3.tar.gz");
    assertThat(numpy.files().get(1).sha256()).contains(HASH);
    assertThat(numpy.files().get(1).requiresPython()).contains(">=3.9");
  }

  @ParameterizedTest(name = "<base href=\"{0}\"> -> {1}")
  @CsvSource({
    "'../../files/', https://upstream.example/files/demo-1.0.tar.gz",
    "'/mirror/', https://upstream.example/mirror/demo-1.0.tar.gz",
    "'https://cdn.example/a/b', https://cdn.example/a/demo-1.0.tar.gz",
    "'//cdn.example/x/', https://cdn.example/x/demo-1.0.tar.gz",
    "'https://cdn.example/x/#top', https://cdn.example/x/demo-1.0.tar.gz",
    // Not usable as a base: the page URL stays the base.
    "'javascript:void(0)', https://upstream.example/simple/demo/demo-1.0.tar.gz",
    "'', https://upstream.example/simple/demo/demo-1.0.tar.gz",
  })
  void resolvesAgainstBaseHref(String baseHref, String expected) throws UpstreamFormatException {
    String html =
        "<html><head><base target=\"_blank\"><base href=\""
            + baseHref
            + "\"></head><body><a href=\"demo-1.0.tar.gz\">demo-1.0.tar.gz</a></body></html>";
    assertThat(single(html).url()).hasToString(expected);
  }

  @Test
  void skipsLinksThatAreNotFilesOfTheProject() throws UpstreamFormatException {
    String html =
        """
        <h1>Links for demo</h1>
        <a>demo-0.1.tar.gz</a>
        <a href="">demo-0.2.tar.gz</a>
        <a href="  ">demo-0.3.tar.gz</a>
        <a href="#sha256=%s">demo-0.4.tar.gz</a>
        <a href="/simple/">all projects</a>
        <a href="javascript:alert(1)">demo-0.5.tar.gz</a>
        <a href="file:///etc/demo-0.6.tar.gz">demo-0.6.tar.gz</a>
        <a href="mailto:demo-0.7.tar.gz">demo-0.7.tar.gz</a>
        <a href="ftp://ftp.example/demo-0.8.tar.gz">demo-0.8.tar.gz</a>
        <a href="demo-0.9.tar.bz2">demo-0.9.tar.bz2</a>
        <a href="demo-0.10-py2.7.egg">demo-0.10-py2.7.egg</a>
        <a href="demo-0.11.win32.exe">demo-0.11.win32.exe</a>
        <a href="demo-0.12.tar.gz.metadata">demo-0.12.tar.gz.metadata</a>
        <a href="demo-not-a-version.tar.gz">x</a>
        <a href="demo-1.0-cp311-cp311.whl">too few wheel tags</a>
        <a href="dir%%2Fdemo-0.13.tar.gz">slash in the name</a>
        <a href="demo_extra-1.0.tar.gz">another project</a>
        <a href="other-1.0-py3-none-any.whl">another project</a>
        <a href="demo-1.0.tar.gz">demo-1.0.tar.gz</a>
        """
            .formatted(HASH);
    assertThat(filenames(parse(html))).containsExactly("demo-1.0.tar.gz");
  }

  @Test
  void filenameComesFromTheUrlNotTheAnchorText() throws UpstreamFormatException {
    UpstreamFile file = single("<a href=\"demo-1.0.tar.gz\">evil-9.9.tar.gz</a>");
    assertThat(file.filename()).isEqualTo("demo-1.0.tar.gz");
  }

  @Test
  void keepsTheFirstOfTwoLinksWithTheSameFilename() throws UpstreamFormatException {
    UpstreamProject project =
        parse(
            "<a href=\"https://a.example/demo-1.0.tar.gz\">1</a>"
                + "<a href=\"https://b.example/demo-1.0.tar.gz\">2</a>");
    assertThat(project.files())
        .singleElement()
        .extracting(f -> f.url().toString())
        .isEqualTo("https://a.example/demo-1.0.tar.gz");
  }

  @Test
  void toleratesSloppyHtml() throws UpstreamFormatException {
    String html =
        "<A HREF=demo-1.0.tar.gz DATA-REQUIRES-PYTHON=&gt;=3.8>x<br>"
            + "<a href=' demo-1.1.tar.gz\n#sha256="
            + HASH.toUpperCase(Locale.ROOT)
            + "' data-yanked>y"
            + "<p><a href=\"demo-1.2.tar.gz\" data-requires-python=\"&lt;4,&gt;=3.9\" data-yanked=\"a &amp; b\">";
    UpstreamProject project = parse(html);
    assertThat(project.files())
        .extracting(
            UpstreamFile::filename,
            f -> f.requiresPython().orElse("-"),
            f -> f.yanked().orElse("-"),
            f -> f.sha256().orElse("-"))
        .containsExactly(
            tuple("demo-1.0.tar.gz", ">=3.8", "-", "-"),
            tuple("demo-1.1.tar.gz", "-", "", HASH),
            tuple("demo-1.2.tar.gz", "<4,>=3.9", "a & b", "-"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      nullValues = "-",
      delimiter = '|',
      value = {
        "data-core-metadata=\"true\" | true | -",
        "data-core-metadata=\"sha256=" + HASH + "\" | true | " + HASH,
        "data-core-metadata=\"SHA256=" + HASH + "\" | true | " + HASH,
        "data-core-metadata=\"sha256=abc\" | true | -",
        "data-core-metadata=\"sha512=abc\" | true | -",
        "data-core-metadata | true | -",
        "data-core-metadata=\"false\" | false | -",
        "data-dist-info-metadata=\"true\" | true | -",
        "data-dist-info-metadata=\"sha256=" + HASH + "\" | true | " + HASH,
        // The PEP 714 name wins over the legacy one.
        "data-core-metadata=\"false\" data-dist-info-metadata=\"true\" | false | -",
        "data-title=\"none\" | false | -",
      })
  void readsCoreMetadataAttributes(String attributes, boolean present, String sha256)
      throws UpstreamFormatException {
    UpstreamFile file = single("<a href=\"demo-1.0.tar.gz\" " + attributes + ">x</a>");
    assertThat(file.coreMetadata())
        .isEqualTo(
            present
                ? Optional.of(new CoreMetadataRef(Optional.ofNullable(sha256)))
                : Optional.empty());
  }

  @ParameterizedTest(name = "repository-version {0}")
  @ValueSource(strings = {"1.0", "1.1", "1.3", " 1.4 "})
  void acceptsRepositoryVersion1(String version) throws UpstreamFormatException {
    String html =
        "<meta name=\"pypi:repository-version\" content=\""
            + version
            + "\"><a href=\"demo-1.0.tar.gz\">x</a>";
    assertThat(parse(html).files()).hasSize(1);
  }

  @ParameterizedTest(name = "repository-version {0}")
  @ValueSource(strings = {"2.0", "0.9", "one"})
  void rejectsOtherRepositoryVersions(String version) {
    String html =
        "<meta name=\"pypi:repository-version\" content=\""
            + version
            + "\"><a href=\"demo-1.0.tar.gz\">x</a>";
    assertThatThrownBy(() -> parse(html))
        .isInstanceOf(UpstreamFormatException.class)
        .hasMessage(
            "unsupported simple API version '"
                + version
                + "' in pypi:repository-version: only 1.x is supported");
  }

  @Test
  void emptyPageIsAProjectWithoutFiles() throws UpstreamFormatException {
    assertThat(parse("")).isEqualTo(new UpstreamProject("demo", List.of()));
  }

  @Test
  void rejectsAnInvalidRequestedName() {
    assertThatThrownBy(() -> UpstreamPageParser.parseHtml(utf8(""), DEMO_PAGE, "../demo"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsARelativePageUrl() {
    assertThatThrownBy(
            () -> UpstreamPageParser.parseHtml(utf8(""), URI.create("/simple/demo/"), "demo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("page URL must be absolute: /simple/demo/");
  }

  static UpstreamProject parse(String html) throws UpstreamFormatException {
    return UpstreamPageParser.parseHtml(utf8(html), DEMO_PAGE, "demo");
  }

  static UpstreamFile single(String html) throws UpstreamFormatException {
    UpstreamProject project = parse(html);
    assertThat(project.files()).hasSize(1);
    return project.files().get(0);
  }
}
