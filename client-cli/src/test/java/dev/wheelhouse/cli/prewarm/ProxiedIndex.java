package dev.wheelhouse.cli.prewarm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wheelhouse.cli.CliRun;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import dev.wheelhouse.server.testing.UpstreamIndex;
import dev.wheelhouse.server.testing.UpstreamTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real server whose default index {@code all} groups the hosted index {@code local} and a proxy
 * {@code pypi} of a real upstream index holding the test projects:
 *
 * <ul>
 *   <li>{@code tinynative 1.0}: wheels for manylinux x86_64 and aarch64 (cp312);
 *   <li>{@code purepy 2.0}: one {@code py3-none-any} wheel;
 *   <li>{@code armonly 1.0}: a manylinux aarch64 wheel only;
 *   <li>{@code sdistonly 1.0}: an sdist only;
 *   <li>{@code loose 1.0, 1.1} and {@code constrained 1.0, 2.0}: pure wheels.
 * </ul>
 */
final class ProxiedIndex implements AutoCloseable {
  static final String AMD64 = "linux/amd64 cp312 manylinux_2_36";
  static final String ARM64 = "linux/arm64 cp312 manylinux_2_36";
  static final String[] TWO_TARGETS = {
    "--platform", "linux/amd64", "--platform", "linux/arm64", "--python", "3.12"
  };

  static final String TINY_X86 = "tinynative-1.0-cp312-cp312-manylinux_2_17_x86_64.whl";
  static final String TINY_ARM = "tinynative-1.0-cp312-cp312-manylinux_2_17_aarch64.whl";
  static final String PUREPY = "purepy-2.0-py3-none-any.whl";
  static final String ARMONLY = "armonly-1.0-cp312-cp312-manylinux_2_17_aarch64.whl";
  static final String SDISTONLY = "sdistonly-1.0.tar.gz";

  final Path dist;
  final UpstreamTree tree;
  final UpstreamIndex upstream;
  final TestServer server;

  private ProxiedIndex(Path dist, UpstreamTree tree, UpstreamIndex upstream, TestServer server) {
    this.dist = dist;
    this.tree = tree;
    this.upstream = upstream;
    this.server = server;
  }

  static ProxiedIndex start(Path dir) throws Exception {
    Path dist = Files.createDirectories(dir.resolve("dist"));
    UpstreamTree tree = UpstreamTree.in(dir.resolve("upstream"));
    tree.add(
        "tinynative",
        TestWheels.wheel(dist, "tinynative", "1.0", "cp312-cp312-manylinux_2_17_x86_64"));
    tree.add(
        "tinynative",
        TestWheels.wheel(dist, "tinynative", "1.0", "cp312-cp312-manylinux_2_17_aarch64"));
    tree.add("purepy", TestWheels.wheel(dist, "purepy", "2.0", "py3-none-any"));
    tree.add(
        "armonly", TestWheels.wheel(dist, "armonly", "1.0", "cp312-cp312-manylinux_2_17_aarch64"));
    tree.add("sdistonly", TestWheels.sdist(dist, "sdistonly", "1.0"));
    tree.add("loose", TestWheels.wheel(dist, "loose", "1.0", "py3-none-any"));
    tree.add("loose", TestWheels.wheel(dist, "loose", "1.1", "py3-none-any"));
    tree.add("constrained", TestWheels.wheel(dist, "constrained", "1.0", "py3-none-any"));
    tree.add("constrained", TestWheels.wheel(dist, "constrained", "2.0", "py3-none-any"));
    UpstreamIndex upstream = UpstreamIndex.start(tree);
    try {
      TestServer server =
          TestServer.startWithIndexes(
              dir.resolve("data"), TestServer.hostedAndProxyIndexes(upstream.simpleUrl()));
      return new ProxiedIndex(dist, tree, upstream, server);
    } catch (Exception e) {
      upstream.close();
      throw e;
    }
  }

  /** The environment a CLI run sees: this server's URL, and {@code extra}. */
  Map<String, String> env(String... extra) {
    Map<String, String> env = new HashMap<>();
    env.put("WHEELHOUSE_URL", server.url());
    for (int i = 0; i + 1 < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    return env;
  }

  /** {@code wheelhouse prewarm ARGS... --platform linux/amd64 --platform linux/arm64 ...}. */
  CliRun prewarm(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>();
    all.add("prewarm");
    all.addAll(Arrays.asList(args));
    all.addAll(Arrays.asList(TWO_TARGETS));
    return CliRun.run(env, all.toArray(String[]::new));
  }

  /** The sha256 (hex) of a file built into {@link #dist}. */
  String sha256(String filename) throws IOException {
    return sha256(dist.resolve(filename));
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(in.readAllBytes());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The cells of the human table's row whose first cell is {@code requested}, or empty if none:
   * columns are two or more spaces apart, cells have at most single spaces.
   */
  static List<String> row(String table, String requested) {
    for (String line : table.lines().toList()) {
      List<String> cells = Arrays.asList(line.strip().split(" {2,}", -1));
      if (cells.get(0).equals(requested)) {
        return cells.subList(1, cells.size());
      }
    }
    return List.of();
  }

  /** The {@code requirements[]} entry of a {@code --json} report named {@code name}. */
  static JsonNode requirement(JsonNode report, String name) {
    for (JsonNode requirement : report.get("requirements")) {
      if (requirement.get("name").asText().equals(name)) {
        return requirement;
      }
    }
    throw new AssertionError("no requirement " + name + " in " + report);
  }

  @Override
  public void close() {
    server.close();
    upstream.close();
  }
}
