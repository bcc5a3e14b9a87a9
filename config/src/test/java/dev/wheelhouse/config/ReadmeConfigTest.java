package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every YAML example in the README parses, so the documentation cannot drift from the code. */
class ReadmeConfigTest {
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  @Test
  void readmeYamlExamplesParse() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> blocks = new ArrayList<>();
    Matcher m = YAML_BLOCK.matcher(readme);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
    assertThat(blocks).anyMatch(yaml -> yaml.contains("apt:"));
    for (String yaml : blocks) {
      // The README shows a placeholder where the real hash goes.
      String filled =
          yaml.replace("sha256:<output of ./wheelhouse token>", Tokens.hash("wh_readme"));
      WheelhouseConfig config = ConfigLoader.parse(filled, "README.md");
      assertThat(config.index(config.defaultIndex())).isPresent();
      if (yaml.contains("<output of ./wheelhouse token>")) {
        assertThat(config.auth().authenticate("wh_readme")).isPresent();
      }
    }
  }
}
