package dev.wheelhouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import dev.wheelhouse.server.testing.UpstreamIndex;
import dev.wheelhouse.server.testing.UpstreamTree;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own image, built with podman from the repository's Dockerfile on base images made
 * from the machine's Debian mirror through a test server's apt cache (no registry is reachable
 * here), then run: pip installs through it, SIGTERM stops it cleanly, and it starts again on its
 * volume with what it had cached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerImageTest {
  private static final String JDK_BASE = "localhost/wheelhouse-test-base:jdk17";
  private static final String SLIM_BASE = "localhost/wheelhouse-test-base:slim";
  private static final String IMAGE = "localhost/wheelhouse-test-server:latest";
  private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path HOST_JAVA_CERTIFICATES = Path.of("/etc/ssl/certs/java/cacerts");

  @TempDir static Path tmp;
  TestServer aptCache;
  UpstreamIndex upstream;
  final List<List<String>> cleanup = new ArrayList<>();

  @BeforeAll
  void buildTheImage() throws Exception {
    URI mirror = Podman.assumeImagesCanBeMade(TestImages.SUITE);
    aptCache =
        TestServer.start(
            tmp.resolve("apt-cache"),
            "apt:\n  mirrors:\n    - name: debian\n      url: " + mirror + "\n");
    WheelhouseCli cli = new WheelhouseCli(aptCache, tmp, tmp.resolve("work"));
    String arch = hostArch();
    TestImages.minimal(cli, JDK_BASE, arch, "openjdk-17-jdk-headless", "binutils");
    TestImages.minimal(cli, SLIM_BASE, arch);
    // The runtime stage's apt-get goes to the apt cache of this run (the base may be older).
    Path baseContext = Files.createDirectories(tmp.resolve("slim-base"));
    Files.writeString(
        baseContext.resolve("sources.list"),
        "deb " + aptCache.url() + "/apt/debian " + TestImages.SUITE + " main\n");
    Files.writeString(
        baseContext.resolve("Containerfile"),
        "FROM " + SLIM_BASE + "\nCOPY sources.list /etc/apt/sources.list\n");
    Podman.run(List.of("podman", "build", "--tag", SLIM_BASE + "-current", baseContext.toString()));

    List<String> build =
        new ArrayList<>(
            List.of(
                "podman",
                "build",
                "--format",
                "docker",
                "--network",
                "host",
                "--build-arg",
                "BUILD_IMAGE=" + JDK_BASE,
                "--build-arg",
                "RUNTIME_IMAGE=" + SLIM_BASE + "-current",
                "--tag",
                IMAGE,
                "--file",
                REPOSITORY.resolve("Dockerfile").toString()));
    // Maven Central through this machine's egress: trust what its Java trusts (a TLS-inspecting
    // proxy's CA, say), as a site would with a base image of its own.
    if (Files.isReadable(HOST_JAVA_CERTIFICATES)) {
      build.addAll(
          List.of("--volume", HOST_JAVA_CERTIFICATES + ":" + HOST_JAVA_CERTIFICATES + ":ro"));
    }
    build.add(REPOSITORY.toString());
    Podman.run(Duration.ofMinutes(40), build);

    Path dist = Files.createDirectories(tmp.resolve("dist"));
    UpstreamTree tree = UpstreamTree.in(tmp.resolve("upstream"));
    tree.add("whserved", TestWheels.wheel(dist, "whserved", "1.0", "py3-none-any"));
    upstream = UpstreamIndex.start(tree);
  }

  @AfterAll
  void tearDown() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      Podman.exec(Duration.ofMinutes(2), cleanup.get(i));
    }
    if (upstream != null) {
      upstream.close();
    }
    if (aptCache != null) {
      aptCache.close();
    }
  }

  @Test
  void theImageRunsAsAnUnprivilegedUserUnderTiniWithAVolume() throws Exception {
    JsonNode image =
        JSON.readTree(Podman.run(List.of("podman", "image", "inspect", "--format", "json", IMAGE)))
            .get(0);
    JsonNode config = image.path("Config");
    assertThat(config.path("User").asText()).isEqualTo("wheelhouse");
    assertThat(config.path("Entrypoint").get(0).asText()).isEqualTo("/usr/bin/tini");
    assertThat(config.path("Volumes").has("/var/lib/wheelhouse")).isTrue();
    assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
    System.out.printf("server image %s: %.1f MB%n", IMAGE, image.path("Size").asLong() / 1e6);
  }

  @Test
  void pipInstallsThroughTheContainerWhichStopsCleanlyAndKeepsItsCacheOnTheVolume()
      throws Exception {
    String name = "wheelhouse-test-" + UUID.randomUUID().toString().substring(0, 8);
    int port = freePort();
    Path config = tmp.resolve("config.yaml");
    Files.writeString(config, TestServer.hostedAndProxyIndexes(upstream.simpleUrl()));
    Podman.run(List.of("podman", "volume", "create", name));
    cleanup.add(List.of("podman", "volume", "rm", "--force", name));
    cleanup.add(List.of("podman", "rm", "--force", "--time", "0", name));
    Podman.run(
        List.of(
            "podman",
            "run",
            "--detach",
            "--name",
            name,
            "--network",
            "host",
            "--env",
            "WHEELHOUSE_LISTEN=127.0.0.1:" + port,
            "--env",
            "WHEELHOUSE_CONFIG=/etc/wheelhouse/config.yaml",
            "--volume",
            config + ":/etc/wheelhouse/config.yaml:ro",
            "--volume",
            name + ":/var/lib/wheelhouse",
            IMAGE));
    String url = "http://127.0.0.1:" + port;
    awaitHealthy(url, name);
    assertThat(Podman.run(List.of("podman", "healthcheck", "run", name)))
        .doesNotContain("unhealthy");
    assertThat(Podman.run(List.of("podman", "exec", name, "id", "-u")).strip()).isEqualTo("10001");
    assertThat(Podman.run(List.of("podman", "exec", name, "cat", "/proc/1/comm")).strip())
        .isEqualTo("tini");

    IsolatedPython python = IsolatedPython.find(tmp);
    Path first = python.venv("first");
    python.pipInstall(first, url + "/simple/", Duration.ofMinutes(3), "whserved==1.0");
    assertThat(imported(python, first)).isEqualTo("whserved 1.0");
    assertThat(upstream.fileRequests("whserved-1.0-py3-none-any.whl")).isEqualTo(1);

    // SIGTERM through tini reaches the JVM, whose shutdown hook closes the server: exit 143, not
    // the 137 of a SIGKILL after the grace period.
    Podman.run(List.of("podman", "stop", "--time", "60", name));
    assertThat(
            Podman.run(List.of("podman", "inspect", "--format", "{{.State.ExitCode}}", name))
                .strip())
        .isEqualTo("143");
    String logs = Podman.run(List.of("podman", "logs", name));
    assertThat(logs).contains("wheelhouse listening on").doesNotContain(" ERROR ");

    // Started again on the same volume, it serves the cached wheel with the upstream gone.
    upstream.stop();
    Podman.run(List.of("podman", "start", name));
    awaitHealthy(url, name);
    Path second = python.venv("second");
    python.pipInstall(second, url + "/simple/", Duration.ofMinutes(3), "whserved==1.0");
    assertThat(imported(python, second)).isEqualTo("whserved 1.0");
  }

  private static String imported(IsolatedPython python, Path venv) throws Exception {
    return python
        .run(
            Duration.ofMinutes(1),
            "import",
            List.of(venv.toString(), "-c", "import whserved; print(whserved.VALUE)"))
        .strip();
  }

  /** Waits up to two minutes for /healthz to answer 200; fails with the container's log if not. */
  private static void awaitHealthy(String url, String container) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/healthz")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the container did not become healthy:\n"
            + Podman.exec(Duration.ofMinutes(1), List.of("podman", "logs", container)).tail(40));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String hostArch() {
    return switch (System.getProperty("os.arch")) {
      case "aarch64", "arm64" -> "arm64";
      default -> "amd64";
    };
  }
}
