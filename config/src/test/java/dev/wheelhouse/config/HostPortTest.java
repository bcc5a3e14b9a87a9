package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1:8080   | 127.0.0.1   | 8080  | 127.0.0.1:8080",
        "[::1]:8080       | ::1         | 8080  | [::1]:8080",
        "0.0.0.0:80       | 0.0.0.0     | 80    | 0.0.0.0:80",
        "localhost:0      | localhost   | 0     | localhost:0",
        "wheelhouse:65535 | wheelhouse  | 65535 | wheelhouse:65535",
        "[fe80::1%eth0]:1 | fe80::1%eth0 | 1    | [fe80::1%eth0]:1",
        "' a.b-c.example:443 ' | a.b-c.example | 443 | a.b-c.example:443",
      })
  void parses(String text, String host, int port, String written) {
    HostPort parsed = HostPort.parse(text);
    assertThat(parsed).isEqualTo(new HostPort(host, port));
    assertThat(parsed.toString()).isEqualTo(written);
    assertThat(HostPort.parse(parsed.toString())).isEqualTo(parsed);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "abc              | expected HOST:PORT, got 'abc'",
        "8080             | expected HOST:PORT, got '8080'",
        ":8080            | expected HOST:PORT, got ':8080'",
        "''               | expected HOST:PORT, got ''",
        "host:            | expected a port 0..65535, got ''",
        "host:65536       | expected a port 0..65535, got '65536'",
        "host:-1          | expected a port 0..65535, got '-1'",
        "host:http        | expected a port 0..65535, got 'http'",
        "::1:8080         | an IPv6 address needs brackets",
        "[::1]8080        | expected HOST:PORT, got '[::1]8080'",
        "[nope]:8080      | invalid IPv6 address 'nope'",
        "256.1.1.1:80     | invalid host '256.1.1.1'",
        "1.2.3:80         | invalid host '1.2.3'",
        "bad_host:80      | invalid host 'bad_host'",
        "-bad:80          | invalid host '-bad'",
      })
  void rejects(String text, String reason) {
    assertThatThrownBy(() -> HostPort.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
