package dev.wheelhouse.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;

/**
 * Loads and validates the configuration. Sources, later ones winning: the embedded defaults, the
 * YAML file, {@code WHEELHOUSE_*} environment variables, command-line overrides.
 *
 * <p>The file is {@code file} if given, else {@code $WHEELHOUSE_CONFIG} if set, else none (the
 * embedded defaults alone). Environment variables: {@code WHEELHOUSE_LISTEN}, {@code
 * WHEELHOUSE_DATA}, {@code WHEELHOUSE_DEFAULT_INDEX}, {@code WHEELHOUSE_OFFLINE}, {@code
 * WHEELHOUSE_ANONYMOUS_READ}, {@code WHEELHOUSE_UPLOAD_MAX_SIZE} set the key of the same name;
 * {@code WHEELHOUSE_ADMIN_TOKEN_HASH} adds a token named {@code env} with roles upload and admin.
 * Empty variables count as unset.
 */
public final class ConfigLoader {
  /** Classpath resource holding the embedded defaults. */
  static final String DEFAULT_CONFIG_RESOURCE = "/dev/wheelhouse/config/default-config.yaml";

  private ConfigLoader() {}

  /**
   * The configuration from all sources.
   *
   * @param file the YAML file to read; empty to use {@code WHEELHOUSE_CONFIG} or no file
   * @param env the process environment (tests pass their own)
   * @throws ConfigException listing every problem found
   */
  public static WheelhouseConfig load(
      Optional<Path> file, Map<String, String> env, ConfigOverrides overrides)
      throws ConfigException {
    Problems problems = new Problems();
    ObjectNode tree = DefaultTree.copy();
    Optional<Path> chosen = file.isPresent() ? file : configVariable(env, problems);
    if (chosen.isPresent()) {
      String sourceName = chosen.get().toString();
      Optional<ObjectNode> fileTree =
          read(chosen.get(), problems).flatMap(text -> YamlTree.parse(text, sourceName, problems));
      problems.throwIfAny();
      tree = ConfigLayers.overlayFile(tree, fileTree.orElseThrow());
    }
    ConfigLayers.applyEnvironment(tree, env, problems);
    ConfigLayers.applyOverrides(tree, overrides, problems);
    return bind(tree, problems);
  }

  /**
   * The configuration from YAML text over the embedded defaults, without environment or overrides.
   *
   * @param sourceName names the text in error messages, like a file name
   * @throws ConfigException listing every problem found
   */
  public static WheelhouseConfig parse(String yaml, String sourceName) throws ConfigException {
    Problems problems = new Problems();
    Optional<ObjectNode> fileTree = YamlTree.parse(yaml, sourceName, problems);
    problems.throwIfAny();
    return bind(ConfigLayers.overlayFile(DefaultTree.copy(), fileTree.orElseThrow()), problems);
  }

  /** The embedded default configuration. */
  public static WheelhouseConfig defaults() {
    try {
      return bind(DefaultTree.copy(), new Problems());
    } catch (ConfigException e) {
      throw new IllegalStateException("the embedded default configuration is invalid", e);
    }
  }

  private static WheelhouseConfig bind(ObjectNode tree, Problems problems) throws ConfigException {
    WheelhouseConfig config = ConfigBinder.bind(Node.root(tree, problems));
    problems.throwIfAny();
    return config;
  }

  private static Optional<Path> configVariable(Map<String, String> env, Problems problems) {
    Optional<String> value = ConfigLayers.variable(env, ConfigLayers.CONFIG);
    try {
      return value.map(Paths::get);
    } catch (InvalidPathException e) {
      problems.add(ConfigLayers.CONFIG, "invalid path '" + value.get() + "': " + e.getReason());
      return Optional.empty();
    }
  }

  private static Optional<String> read(Path file, Problems problems) {
    try {
      return Optional.of(Files.readString(file));
    } catch (NoSuchFileException e) {
      problems.add(file.toString(), "cannot read: no such file");
    } catch (AccessDeniedException e) {
      problems.add(file.toString(), "cannot read: permission denied");
    } catch (CharacterCodingException e) {
      problems.add(file.toString(), "cannot read: not UTF-8 text");
    } catch (IOException e) {
      problems.add(file.toString(), "cannot read: " + e.getMessage());
    }
    return Optional.empty();
  }

  /** The embedded defaults, parsed once; callers get copies because layering edits the tree. */
  private static final class DefaultTree {
    private static final ObjectNode TREE = load();

    static ObjectNode copy() {
      return TREE.deepCopy();
    }

    private static ObjectNode load() {
      try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_CONFIG_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + DEFAULT_CONFIG_RESOURCE);
        }
        Problems problems = new Problems();
        Optional<ObjectNode> tree =
            YamlTree.parse(
                new String(in.readAllBytes(), StandardCharsets.UTF_8),
                DEFAULT_CONFIG_RESOURCE,
                problems);
        problems.throwIfAny();
        return tree.orElseThrow();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ConfigException e) {
        throw new IllegalStateException("the embedded default configuration is invalid", e);
      }
    }
  }
}
