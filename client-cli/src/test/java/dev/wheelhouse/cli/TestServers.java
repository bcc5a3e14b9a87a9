package dev.wheelhouse.cli;

import dev.wheelhouse.config.ConfigException;
import dev.wheelhouse.config.ConfigLoader;
import dev.wheelhouse.config.Tokens;
import dev.wheelhouse.config.WheelhouseConfig;
import java.nio.file.Path;

/** Configurations for real servers started by tests: a hosted index, a group and one token. */
public final class TestServers {
  /** The upload token every test configuration accepts. */
  public static final String TOKEN = "wh_test-upload-token";

  private TestServers() {}

  /**
   * YAML for a server on a free port of 127.0.0.1 storing under {@code data}, with hosted index
   * {@code local}, group {@code all} (the default index) and {@link #TOKEN} allowed to upload.
   */
  public static String yaml(Path data) {
    return """
        listen: 127.0.0.1:0
        data: "%s"
        auth:
          tokens:
            - name: test
              hash: "%s"
              roles: [upload, admin]
        indexes:
          - name: local
            type: hosted
          - name: all
            type: group
            members: [local]
        default-index: all
        """
        .formatted(data.toString().replace("\\", "\\\\"), Tokens.hash(TOKEN));
  }

  public static WheelhouseConfig config(Path data) throws ConfigException {
    return ConfigLoader.parse(yaml(data), "test");
  }
}
