package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The container documents agree with each other and with the config loader: the Dockerfile's
 * environment, volume and port, the compose example that runs it, and the CI example.
 */
class ContainerDocsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ENV_PAIR = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|\\S+)");

  @Test
  void theExampleConfigUnderTheImagesEnvironmentListensOnTheExposedPortAndStoresInTheVolume()
      throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    Map<String, String> env = imageEnvironment(dockerfile);
    env.put("WHEELHOUSE_CONFIG", ROOT.resolve("config/wheelhouse.example.yaml").toString());

    WheelhouseConfig config = ConfigLoader.load(Optional.empty(), env, ConfigOverrides.none());

    assertThat(config.listen().toString()).isEqualTo("0.0.0.0:8080");
    assertThat(dockerfile).contains("EXPOSE " + config.listen().port());
    assertThat(dockerfile).contains("VOLUME [\"" + config.data() + "\"]");
  }

  @Test
  void composeRunsTheImageWithItsVolumeItsPortAndAMountedConfig() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    JsonNode compose = YAML.readTree(ROOT.resolve("docs/examples/compose.yaml").toFile());
    JsonNode server = compose.path("services").path("wheelhouse");
    String data = imageEnvironment(dockerfile).get("WHEELHOUSE_DATA");

    List<String> volumes = texts(server.path("volumes"));
    assertThat(volumes).anyMatch(v -> v.equals("wheelhouse-data:" + data));
    assertThat(compose.path("volumes").has("wheelhouse-data")).isTrue();
    String configFile = server.path("environment").path("WHEELHOUSE_CONFIG").asText();
    assertThat(volumes).anyMatch(v -> v.endsWith(":" + configFile + ":ro"));
    assertThat(texts(server.path("ports"))).contains("8080:8080");
    // The application build reaches the server by its service name.
    JsonNode app = compose.path("services").path("app");
    assertThat(app.path("build").path("args").path("WHEELHOUSE").asText())
        .isEqualTo("wheelhouse:8080");
    assertThat(app.path("depends_on").path("wheelhouse").path("condition").asText())
        .isEqualTo("service_healthy");
  }

  @Test
  void theCiExamplePrewarmsBothArchitecturesWithATokenFromSecrets() throws IOException {
    JsonNode workflow =
        YAML.readTree(ROOT.resolve("docs/examples/github-actions-prewarm.yml").toFile());
    JsonNode job = workflow.path("jobs").path("prewarm");
    assertThat(job.path("env").path("WHEELHOUSE_TOKEN").asText()).startsWith("${{ secrets.");
    List<String> runs = new ArrayList<>();
    job.path("steps").forEach(step -> runs.add(step.path("run").asText()));
    assertThat(runs)
        .anyMatch(
            run ->
                run.contains("prewarm -r")
                    && run.contains("--platform linux/amd64")
                    && run.contains("--platform linux/arm64"))
        .anyMatch(run -> run.contains("--build-missing"));
  }

  /** The Dockerfile's last stage's ENV pairs (one ENV instruction, continued lines). */
  private static Map<String, String> imageEnvironment(String dockerfile) {
    String last = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    Matcher instruction = Pattern.compile("\nENV ((?:[^\n]*\\\\\n)*[^\n]*)").matcher(last);
    assertThat(instruction.find()).as("an ENV instruction in the runtime stage").isTrue();
    Map<String, String> env = new HashMap<>();
    Matcher pair = ENV_PAIR.matcher(instruction.group(1));
    while (pair.find()) {
      env.put(pair.group(1), pair.group(2).replace("\"", ""));
    }
    return env;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
