package dev.wheelhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerOptionsTest {

  private static ServerOptions parse(String... args) {
    ServerOptions options = new ServerOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void defaultsToLocalhost8080WithoutToken() {
    ServerOptions options = parse();

    assertThat(options.baseUrl(Map.of())).hasToString("http://127.0.0.1:8080");
    assertThat(options.token(Map.of())).isEmpty();
  }

  @Test
  void environmentFillsWhatTheCommandLineLeavesOut() {
    Map<String, String> env =
        Map.of("WHEELHOUSE_URL", "http://wheelhouse:9000/", "WHEELHOUSE_TOKEN", "wh_env");

    assertThat(parse().baseUrl(env)).hasToString("http://wheelhouse:9000");
    assertThat(parse().token(env)).contains("wh_env");
    assertThat(parse("--url", "https://other/prefix/", "--token", "wh_arg").baseUrl(env))
        .hasToString("https://other/prefix");
    assertThat(parse("--token", "wh_arg").token(env)).contains("wh_arg");
  }

  @Test
  void rejectsUrlsThatAreNotHttp() {
    for (String bad : new String[] {"ftp://host/", "localhost:8080", "http://", "http://h/?q=1"}) {
      assertThatThrownBy(() -> parse("--url", bad).baseUrl(Map.of()))
          .as(bad)
          .isInstanceOfSatisfying(
              CommandFailure.class, failure -> assertThat(failure.exitCode()).isEqualTo(2))
          .hasMessageContaining("invalid server URL");
    }
  }
}
