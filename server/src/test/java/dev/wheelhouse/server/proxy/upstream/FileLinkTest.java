package dev.wheelhouse.server.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How hrefs become absolute URLs and file names, and what a fragment's digest is. */
class FileLinkTest {
  static final URI PAGE = URI.create("https://pypi.example/simple/demo/");
  static final String HASH = "f870204a840a60da0b12273ef34f7051e98c3b5961b61b0c2c1be6dfd64fbcd3";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // href | absolute URL | file name
        "../../packages/ab/cd/demo-1.0.tar.gz | https://pypi.example/packages/ab/cd/demo-1.0.tar.gz"
            + " | demo-1.0.tar.gz",
        "demo-1.0.tar.gz | https://pypi.example/simple/demo/demo-1.0.tar.gz | demo-1.0.tar.gz",
        "./demo-1.0.tar.gz | https://pypi.example/simple/demo/demo-1.0.tar.gz | demo-1.0.tar.gz",
        "/whl/cu121/torch-2.1.0%2Bcu121-cp311-cp311-linux_x86_64.whl |"
            + " https://pypi.example/whl/cu121/torch-2.1.0%2Bcu121-cp311-cp311-linux_x86_64.whl |"
            + " torch-2.1.0+cu121-cp311-cp311-linux_x86_64.whl",
        "/whl/torch-2.1.0+cpu-cp311-cp311-linux_x86_64.whl |"
            + " https://pypi.example/whl/torch-2.1.0+cpu-cp311-cp311-linux_x86_64.whl |"
            + " torch-2.1.0+cpu-cp311-cp311-linux_x86_64.whl",
        "torch-2.1.0%2bcpu.whl | https://pypi.example/simple/demo/torch-2.1.0%2bcpu.whl |"
            + " torch-2.1.0+cpu.whl",
        "https://download-r2.pytorch.org/whl/a-1.0.whl | https://download-r2.pytorch.org/whl/a-1.0.whl"
            + " | a-1.0.whl",
        "//files.example/x/demo-1.0.tar.gz | https://files.example/x/demo-1.0.tar.gz |"
            + " demo-1.0.tar.gz",
        "HTTP://Files.Example:8080/demo-1.0.tar.gz | http://Files.Example:8080/demo-1.0.tar.gz |"
            + " demo-1.0.tar.gz",
        "http://[::1]:8080/x/demo-1.0.tar.gz | http://[::1]:8080/x/demo-1.0.tar.gz |"
            + " demo-1.0.tar.gz",
        "http://my_mirror:3141/demo-1.0.tar.gz | http://my_mirror:3141/demo-1.0.tar.gz |"
            + " demo-1.0.tar.gz",
        "https://files.example/a/./b/../demo-1.0.tar.gz | https://files.example/a/demo-1.0.tar.gz |"
            + " demo-1.0.tar.gz",
        // RFC 3986: ".." never climbs above the root.
        "../../../../../demo-1.0.tar.gz | https://pypi.example/demo-1.0.tar.gz | demo-1.0.tar.gz",
        "demo-1.0.tar.gz?token=abc&x=1 | https://pypi.example/simple/demo/demo-1.0.tar.gz?token=abc&x=1"
            + " | demo-1.0.tar.gz",
        // What browsers accept but java.net.URI does not gets escaped.
        "'my demo-1.0.tar.gz' | https://pypi.example/simple/demo/my%20demo-1.0.tar.gz |"
            + " 'my demo-1.0.tar.gz'",
        "dämo-1.0.tar.gz | https://pypi.example/simple/demo/d%C3%A4mo-1.0.tar.gz | dämo-1.0.tar.gz",
        "a^b/100%-1.0.tar.gz | https://pypi.example/simple/demo/a%5Eb/100%25-1.0.tar.gz |"
            + " 100%-1.0.tar.gz",
        "x[1]/demo-1.0.tar.gz | https://pypi.example/simple/demo/x%5B1%5D/demo-1.0.tar.gz |"
            + " demo-1.0.tar.gz",
        "d%C3%A4mo-1.0.tar.gz | https://pypi.example/simple/demo/d%C3%A4mo-1.0.tar.gz |"
            + " dämo-1.0.tar.gz",
        // An encoded slash decodes into the name; the parser then rejects it as unsafe.
        "dir%2Fdemo-1.0.tar.gz | https://pypi.example/simple/demo/dir%2Fdemo-1.0.tar.gz |"
            + " dir/demo-1.0.tar.gz",
      })
  void resolves(String href, String url, String filename) {
    FileLink link = FileLink.resolve(PAGE, href).orElseThrow();
    assertThat(link.url()).hasToString(url);
    assertThat(link.filename()).isEqualTo(filename);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        "   ",
        "#sha256=" + HASH,
        "/simple/",
        "..",
        "javascript:alert(1)",
        "mailto:demo@example.org",
        "file:///etc/demo-1.0.tar.gz",
        "data:text/plain,demo-1.0.tar.gz",
        "ftp://ftp.example/demo-1.0.tar.gz",
        "http://",
        "https:demo-1.0.tar.gz",
        "http://bad host/demo-1.0.tar.gz",
        "http://bad|host/demo-1.0.tar.gz",
      })
  void rejects(String href) {
    assertThat(FileLink.resolve(PAGE, href)).isEmpty();
  }

  @ParameterizedTest(name = "#{0}")
  @CsvSource(
      nullValues = "-",
      value = {
        "sha256=" + HASH + ", " + HASH,
        "SHA256=F870204A840A60DA0B12273EF34F7051E98C3B5961B61B0C2C1BE6DFD64FBCD3, " + HASH,
        "md5=9dd4e461268c8034f5c8564e155c67a6&sha256=" + HASH + ", " + HASH,
        "sha256=" + HASH + "&egg=demo, " + HASH,
        "md5=9dd4e461268c8034f5c8564e155c67a6, -",
        "sha512=" + HASH + HASH + ", -",
        "sha256=f870204a, -",
        "sha256=" + HASH + "0, -",
        "sha256=g870204a840a60da0b12273ef34f7051e98c3b5961b61b0c2c1be6dfd64fbcd3, -",
        // Arabic-Indic digits are digits to Character.digit, not hex.
        "sha256=٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠١٢٣, -",
        "sha256=, -",
        "sha256, -",
        "=, -",
        "egg=demo, -",
      })
  void readsSha256FromTheFragment(String fragment, String expected) {
    FileLink link = FileLink.resolve(PAGE, "demo-1.0.tar.gz#" + fragment).orElseThrow();
    assertThat(link.fragmentSha256()).isEqualTo(Optional.ofNullable(expected));
    assertThat(link.url()).hasToString("https://pypi.example/simple/demo/demo-1.0.tar.gz");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource({
    "demo-1.0.tar.gz, demo-1.0.tar.gz",
    "a%2Bb, a+b",
    "a+b, a+b",
    "%e2%9c%93, \u2713",
    "100%, 100%",
    "%zz, %zz",
    "%4, %4",
    "%, %",
  })
  void percentDecodes(String raw, String decoded) {
    assertThat(FileLink.percentDecode(raw)).isEqualTo(decoded);
  }
}
