package dev.wheelhouse.cli.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.CliRun;
import dev.wheelhouse.config.Tokens;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TokenCommandTest {

  @Test
  void printsATokenItsHashAndAConfigSnippet() {
    CliRun run = CliRun.run("token", "--name", "builder");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    String token = group(run.out(), "(?m)^token: (\\S+)$");
    String hash = group(run.out(), "(?m)^hash: +(\\S+)$");
    assertThat(Tokens.hash(token)).isEqualTo(hash);
    assertThat(Tokens.matches(token, hash)).isTrue();
    assertThat(run.out())
        .contains(
            "auth:\n  tokens:\n    - name: builder\n      hash: \""
                + hash
                + "\"\n      roles: [upload, admin]\n");
  }

  @Test
  void everyRunMakesANewToken() {
    String first = group(CliRun.run("token").out(), "(?m)^token: (\\S+)$");
    String second = group(CliRun.run("token").out(), "(?m)^token: (\\S+)$");

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void jsonHasTheTokenAndItsHash() throws Exception {
    CliRun run = CliRun.run("token", "--json");

    assertThat(run.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("hash").asText()).isEqualTo(Tokens.hash(json.get("token").asText()));
  }

  @Test
  void nameThatWouldBreakTheYamlIsAUsageError() {
    CliRun run = CliRun.run("token", "--name", "ci: x");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("invalid token name");
  }

  private static String group(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertThat(matcher.find()).as("%s in:%n%s", regex, text).isTrue();
    return matcher.group(1);
  }
}
