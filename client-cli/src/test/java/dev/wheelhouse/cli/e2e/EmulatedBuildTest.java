package dev.wheelhouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelhouse.cli.e2e.WheelhouseCli.Run;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.apt.AptGet;
import dev.wheelhouse.server.testing.apt.HostDebianMirror;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wheels built for linux/arm64 in real podman containers under QEMU user emulation, in an image
 * made by {@code wheelhouse builder-image} from the machine's Debian mirror through the server's
 * own apt cache; build dependencies (setuptools, wheel) come from the server's index. The results
 * are fetched back with real pip for {@code linux_aarch64}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatedBuildTest {
  private static final String IMAGE = TestImages.ARM64_BUILDER;
  private static final String SUITE = TestImages.SUITE;
  private static final int EM_AARCH64 = 183;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  TestServer server;
  IsolatedPython python;
  Path client;
  Path work;
  WheelhouseCli wheelhouse;

  @BeforeAll
  void setUp() throws Exception {
    URI mirror = Podman.assumeImagesCanBeMade(SUITE);
    Podman.assumeArm64Emulation();
    work = tmp.resolve("work");
    server =
        TestServer.start(
            tmp.resolve("data"),
            "apt:\n  mirrors:\n    - name: debian\n      url: " + mirror + "\n");
    python = IsolatedPython.find(tmp);
    client = python.venv("client");
    wheelhouse = new WheelhouseCli(server, tmp, work);
    TestImages.arm64Builder(wheelhouse);
    uploadBuildBackendFromDebian();
  }

  @AfterAll
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aCExtensionFromAPathIsBuiltForArm64AndPipFetchesIt() throws Exception {
    Path project = cExtensionProject(tmp.resolve("whcext"), "whcext", "0.1", 42);

    Run build = buildForArm64(project);

    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.out()).contains("whcext-0.1-cp311-cp311-linux_aarch64.whl");
    Path wheel = pipDownloadAarch64("whcext==0.1", tmp.resolve("dl-path"));
    assertThat(wheel.getFileName().toString()).endsWith("-linux_aarch64.whl");
    assertThat(elfMachines(wheel)).containsExactly(EM_AARCH64);
    assertThat(runInArm64(wheel, "import whcext; print(whcext.answer())")).contains("42");
  }

  @Test
  void aGitSourceIsBuiltAtThePinnedCommitNotTheBranchHead() throws Exception {
    Path repo = tmp.resolve("whgit-repo");
    cExtensionProject(repo, "whgit", "0.2", 2);
    git(repo, "init", "--quiet");
    commitAll(repo, "0.2");
    String pinned = git(repo, "rev-parse", "HEAD").strip();
    cExtensionProject(repo, "whgit", "0.3", 3);
    commitAll(repo, "0.3");

    Run build =
        cli(
            "build",
            "--git",
            repo.toUri().toString(),
            "--ref",
            pinned,
            "--platform",
            "linux/arm64",
            "--python",
            "3.11",
            "--image",
            IMAGE,
            "--json");

    assertThat(build.exitCode()).as(build.err()).isZero();
    JsonNode built = JSON.readTree(build.out()).path("builds").get(0);
    assertThat(built.path("wheel").asText()).isEqualTo("whgit-0.2-cp311-cp311-linux_aarch64.whl");
    assertThat(built.path("commit").asText()).isEqualTo(pinned);
    Path wheel = pipDownloadAarch64("whgit", tmp.resolve("dl-git"));
    assertThat(wheel.getFileName().toString()).startsWith("whgit-0.2-");
    assertThat(elfMachines(wheel)).containsExactly(EM_AARCH64);
    assertThat(runInArm64(wheel, "import whgit; print(whgit.answer())")).contains("2");
  }

  @Test
  void systemPackagesComeThroughTheServersAptCache() throws Exception {
    // The module includes libffi's header and links it: neither is in the base image.
    Path project = cExtensionProject(tmp.resolve("whffi"), "whffi", "0.1", 0);
    Files.writeString(
        project.resolve("whffi.c"),
        Files.readString(project.resolve("whffi.c"))
            .replace("#include <Python.h>", "#include <Python.h>\n#include <ffi.h>")
            .replace("PyLong_FromLong(0)", "PyLong_FromLong((long) ffi_type_sint32.size)"));
    Files.writeString(
        project.resolve("setup.py"),
        Files.readString(project.resolve("setup.py"))
            .replace("[\"whffi.c\"])", "[\"whffi.c\"], libraries=[\"ffi\"])"));

    Run build = buildForArm64(project, "--system-package", "libffi-dev");

    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.err()).contains("apt-get install libffi-dev");
    assertThat(new String(server.get("/metrics").body(), StandardCharsets.UTF_8))
        .containsPattern("wheelhouse_apt_pool_downloads_total\\{[^}]*} [1-9]");
    Path wheel = pipDownloadAarch64("whffi==0.1", tmp.resolve("dl-ffi"));
    assertThat(elfMachines(wheel)).containsExactly(EM_AARCH64);
    assertThat(runInArm64(wheel, "import whffi; print(whffi.answer())")).contains("4");
  }

  @Test
  void aRecipeFromTheConfigBuildsWithItsEnvironmentAndNamesItselfInTheProvenance()
      throws Exception {
    Path project = cExtensionProject(tmp.resolve("whrecipe"), "whrecipe", "0.1", 0);
    Files.writeString(
        project.resolve("setup.py"),
        "import os\n"
            + Files.readString(project.resolve("setup.py"))
                .replace(
                    "[\"whrecipe.c\"])",
                    "[\"whrecipe.c\"], define_macros=[(\"ANSWER\", os.environ[\"WHRECIPE_ANSWER\"])])"));
    Files.writeString(
        project.resolve("whrecipe.c"),
        Files.readString(project.resolve("whrecipe.c"))
            .replace("PyLong_FromLong(0)", "PyLong_FromLong(ANSWER)"));
    Path config = tmp.resolve("recipes.yaml");
    Files.writeString(
        config,
        "builds:\n"
            + "  - name: whrecipe\n"
            + "    path: "
            + project
            + "\n"
            + "    platforms: [linux/arm64]\n"
            + "    python: [\"3.11\"]\n"
            + "    image: "
            + IMAGE
            + "\n"
            + "    env: {WHRECIPE_ANSWER: \"5\"}\n");

    Run build = cli("build", "--recipe", "whrecipe", "--config", config.toString());

    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.out()).contains("whrecipe").contains("linux/arm64").contains("built");
    Path wheel = pipDownloadAarch64("whrecipe==0.1", tmp.resolve("dl-recipe"));
    assertThat(runInArm64(wheel, "import whrecipe; print(whrecipe.answer())")).contains("5");
    JsonNode provenance =
        JSON.readTree(server.get("/provenance/local/" + wheel.getFileName()).body());
    assertThat(provenance.path("recipe").asText()).isEqualTo("whrecipe");
    assertThat(provenance.path("source").asText()).isEqualTo("path:" + project);
  }

  @Test
  void aFailingBuildExitsNonZeroWithTheLogTailAndUploadsNothing() throws Exception {
    Path project = cExtensionProject(tmp.resolve("whbroken"), "whbroken", "0.1", 1);
    Files.writeString(project.resolve("whbroken.c"), "this is not C;\n");

    Run build = buildForArm64(project);

    assertThat(build.exitCode()).isEqualTo(1);
    assertThat(build.err())
        .contains("FAILED: build failed (exit 1)")
        .contains("last lines of the log:")
        .contains("error:")
        .contains("full log: " + work.resolve("logs"))
        .contains("1 of 1 builds failed");
    assertThat(server.get("/simple/whbroken/").statusCode()).isEqualTo(404);
  }

  @Test
  void aBuildPastItsTimeoutIsStopped() throws Exception {
    Path project = cExtensionProject(tmp.resolve("whslow"), "whslow", "0.1", 1);

    Run build = buildForArm64(project, "--timeout", "1s");

    assertThat(build.exitCode()).isEqualTo(1);
    assertThat(build.err()).contains("timed out after 1.0 s");
    Matcher name = Pattern.compile("run --name (wheelhouse-build-\\S+)").matcher(build.err());
    assertThat(name.find()).as(build.err()).isTrue();
    assertThat(Podman.run(List.of("podman", "ps", "--all", "--format", "{{.Names}}")))
        .doesNotContain(name.group(1));
  }

  @Test
  void anImageWithAnotherPythonIsNamedAsTheProblem() throws Exception {
    Path project = cExtensionProject(tmp.resolve("whpy"), "whpy", "0.1", 1);

    Run build =
        cli(
            "build",
            "--path",
            project.toString(),
            "--platform",
            "linux/arm64",
            "--python",
            "3.12",
            "--image",
            IMAGE);

    assertThat(build.exitCode()).isEqualTo(1);
    assertThat(build.err()).contains("image " + IMAGE + " has another Python than 3.12");
  }

  @Test
  void prewarmBuildsAnSdistOnlyRequirementForArm64() throws Exception {
    uploadSdist("whsdist", "0.1", 7);
    Path requirements = tmp.resolve("requirements.txt");
    Files.writeString(requirements, "whsdist==0.1\n");

    Run before =
        cli(
            "prewarm",
            "-r",
            requirements.toString(),
            "--platform",
            "linux/arm64",
            "--python",
            "3.11");
    Run prewarm =
        cli(
            "prewarm",
            "-r",
            requirements.toString(),
            "--platform",
            "linux/arm64",
            "--python",
            "3.11",
            "--build-missing",
            "--image",
            IMAGE);

    assertThat(before.exitCode()).isEqualTo(1);
    assertThat(before.out()).contains("sdist-only");
    assertThat(prewarm.exitCode()).as(prewarm.err()).isZero();
    assertThat(prewarm.out()).contains("built");
    Path wheel = pipDownloadAarch64("whsdist==0.1", tmp.resolve("dl-prewarm"));
    assertThat(wheel.getFileName().toString())
        .isEqualTo("whsdist-0.1-cp311-cp311-linux_aarch64.whl");
    assertThat(elfMachines(wheel)).containsExactly(EM_AARCH64);
  }

  @Test
  void buildMissingBuildsWhatAnArm64PipClientFoundNoWheelFor() throws Exception {
    uploadSdist("whmiss", "0.1", 9);
    // What pip 24 on Debian bookworm arm64 sends (its linehaul User-Agent).
    String arm64Pip =
        "pip/24.0 {\"ci\":null,\"cpu\":\"aarch64\",\"distro\":{\"id\":\"bookworm\","
            + "\"libc\":{\"lib\":\"glibc\",\"version\":\"2.36\"},\"name\":\"Debian GNU/Linux\","
            + "\"version\":\"12\"},\"implementation\":{\"name\":\"CPython\",\"version\":\"3.11.2\"},"
            + "\"installer\":{\"name\":\"pip\",\"version\":\"24.0\"},\"python\":\"3.11.2\","
            + "\"system\":{\"name\":\"Linux\",\"release\":\"6.1.0\"}}";
    assertThat(server.get("/simple/whmiss/", "User-Agent", arm64Pip).statusCode()).isEqualTo(200);
    JsonNode misses = awaitMisses("whmiss");
    assertThat(misses.get(0).path("platform").asText()).isEqualTo("linux/arm64");

    Run build = cli("build", "--missing", "--image", IMAGE);

    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.out())
        .contains("linux/arm64")
        .contains("whmiss-0.1-cp311-cp311-linux_aarch64.whl");
    assertThat(missesOf("whmiss")).isEmpty();
    JsonNode page =
        JSON.readTree(
            server.get("/simple/whmiss/", "Accept", "application/vnd.pypi.simple.v1+json").body());
    JsonNode wheelEntry = null;
    for (JsonNode file : page.path("files")) {
      if (file.path("filename").asText().endsWith(".whl")) {
        wheelEntry = file;
      }
    }
    assertThat(wheelEntry).isNotNull();
    URI provenanceUrl =
        URI.create(server.url() + "/simple/whmiss/")
            .resolve(wheelEntry.path("_provenance").asText());
    JsonNode provenance = JSON.readTree(server.get(provenanceUrl.getRawPath()).body());
    assertThat(provenance.path("platform").asText()).isEqualTo("linux/arm64");
    assertThat(provenance.path("source").asText()).isEqualTo("sdist:whmiss==0.1");
    assertThat(provenance.path("image").asText()).isEqualTo(IMAGE);
    assertThat(provenance.path("emulated").asBoolean()).isTrue();
    URI log = provenanceUrl.resolve(provenance.path("log").asText());
    assertThat(new String(server.get(log.getRawPath()).body(), StandardCharsets.UTF_8))
        .contains("Successfully built whmiss");
  }

  // --- fixtures ---

  /**
   * setuptools and wheel as wheels, from Debian's python3-*-whl packages fetched through the
   * server's apt cache, uploaded to its hosted index: pip's build isolation fetches them from
   * there.
   */
  private void uploadBuildBackendFromDebian() throws Exception {
    AptGet apt =
        AptGet.in(tmp.resolve("apt"))
            .source(
                "deb [signed-by="
                    + HostDebianMirror.KEYRING
                    + "] "
                    + server.url()
                    + "/apt/debian "
                    + SUITE
                    + " main")
            .runTimeout(Duration.ofMinutes(10));
    assertThat(apt.update().clean()).isTrue();
    AptGet.Result download = apt.installDownloadOnly("python3-setuptools-whl", "python3-wheel-whl");
    assertThat(download.clean()).as(download.output()).isTrue();
    Path extracted = tmp.resolve("debs");
    for (Path deb : apt.downloadedDebs()) {
      Podman.run(List.of("dpkg-deb", "-x", deb.toString(), extracted.toString()));
    }
    List<String> wheels;
    try (Stream<Path> files = Files.walk(extracted)) {
      wheels = files.filter(p -> p.toString().endsWith(".whl")).map(Path::toString).toList();
    }
    assertThat(wheels).hasSize(2);
    List<String> upload = new ArrayList<>(List.of("upload"));
    upload.addAll(wheels);
    Run uploaded = cli(upload.toArray(String[]::new));
    assertThat(uploaded.exitCode()).as(uploaded.err()).isZero();
  }

  /**
   * A setuptools project with one C extension module {@code name} whose answer() is {@code answer}.
   */
  static Path cExtensionProject(Path dir, String name, String version, int answer)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("pyproject.toml"),
        """
        [build-system]
        requires = ["setuptools>=40.8", "wheel"]
        build-backend = "setuptools.build_meta"
        """);
    Files.writeString(
        dir.resolve("setup.py"),
        "from setuptools import setup, Extension\n"
            + "setup(name=\""
            + name
            + "\", version=\""
            + version
            + "\", ext_modules=[Extension(\""
            + name
            + "\", [\""
            + name
            + ".c\"])])\n");
    Files.writeString(
        dir.resolve(name + ".c"),
        "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
            + "static PyObject *answer(PyObject *self, PyObject *args) { return PyLong_FromLong("
            + answer
            + "); }\n"
            + "static PyMethodDef methods[] = {{\"answer\", answer, METH_NOARGS, \"\"},"
            + " {NULL, NULL, 0, NULL}};\n"
            + "static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, \""
            + name
            + "\", NULL, -1, methods};\n"
            + "PyMODINIT_FUNC PyInit_"
            + name
            + "(void) { return PyModule_Create(&module); }\n");
    return dir;
  }

  /** An sdist of a one-module C extension, uploaded to the hosted index. */
  private void uploadSdist(String name, String version, int answer) throws Exception {
    Path root = tmp.resolve("sdists");
    Path dir = cExtensionProject(root.resolve(name + "-" + version), name, version, answer);
    Files.writeString(
        dir.resolve("PKG-INFO"),
        "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
    Path sdist = root.resolve(name + "-" + version + ".tar.gz");
    Podman.run(
        List.of("tar", "-czf", sdist.toString(), "-C", root.toString(), name + "-" + version));
    Run uploaded = cli("upload", sdist.toString());
    assertThat(uploaded.exitCode()).as(uploaded.err()).isZero();
  }

  /** The misses recorded for {@code project}; they are written after the page is sent. */
  private JsonNode awaitMisses(String project) throws Exception {
    for (int attempt = 0; attempt < 100; attempt++) {
      JsonNode misses = missesOf(project);
      if (!misses.isEmpty()) {
        return misses;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no miss recorded for " + project);
  }

  private JsonNode missesOf(String project) throws Exception {
    JsonNode all =
        JSON.readTree(
                server
                    .get("/admin/misses", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                    .body())
            .path("misses");
    com.fasterxml.jackson.databind.node.ArrayNode matching = JSON.createArrayNode();
    for (JsonNode miss : all) {
      if (miss.path("project").asText().equals(project)) {
        matching.add(miss);
      }
    }
    return matching;
  }

  /** pip download of {@code requirement} for linux_aarch64 CPython 3.11, binary only; the file. */
  Path pipDownloadAarch64(String requirement, Path into) throws Exception {
    python.pip(
        client,
        "download",
        server.url() + "/simple/",
        Duration.ofMinutes(3),
        List.of(
            "--platform",
            "linux_aarch64",
            "--python-version",
            "3.11",
            "--implementation",
            "cp",
            "--only-binary=:all:",
            "--no-deps",
            "--dest",
            into.toString(),
            requirement));
    try (Stream<Path> files = Files.list(into)) {
      List<Path> wheels = files.filter(p -> p.toString().endsWith(".whl")).toList();
      assertThat(wheels).hasSize(1);
      return wheels.get(0);
    }
  }

  /** The e_machine of every ELF file inside {@code wheel}. */
  static List<Integer> elfMachines(Path wheel) throws IOException {
    List<Integer> machines = new ArrayList<>();
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        try (InputStream in = zip.getInputStream(entry)) {
          byte[] header = in.readNBytes(20);
          if (header.length == 20
              && header[0] == 0x7f
              && header[1] == 'E'
              && header[2] == 'L'
              && header[3] == 'F') {
            machines.add((header[18] & 0xff) | (header[19] & 0xff) << 8);
          }
        }
      }
    }
    return machines;
  }

  /** Installs {@code wheel} in the arm64 image (emulated) and runs {@code code}; its output. */
  private String runInArm64(Path wheel, String code) throws Exception {
    return Podman.run(
        List.of(
            "podman",
            "run",
            "--rm",
            "--platform",
            "linux/arm64",
            "--network",
            "none",
            "--volume",
            wheel.getParent() + ":/wheels:ro",
            IMAGE,
            "sh",
            "-c",
            "python3 -m pip install --quiet --no-index --break-system-packages /wheels/"
                + wheel.getFileName()
                + " && cd / && python3 -c \"$0\"",
            code));
  }

  /** Commits everything in {@code repo} as a test author. */
  private static void commitAll(Path repo, String message) throws Exception {
    git(repo, "add", ".");
    git(
        repo,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "commit",
        "--quiet",
        "-m",
        message);
  }

  private static String git(Path repo, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
    command.addAll(List.of(args));
    return Podman.run(command);
  }

  /** {@code wheelhouse build --path DIR} for linux/arm64 and Python 3.11 in the test image. */
  Run buildForArm64(Path project, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "build",
                "--path",
                project.toString(),
                "--platform",
                "linux/arm64",
                "--python",
                "3.11",
                "--image",
                IMAGE));
    args.addAll(List.of(more));
    return cli(args.toArray(String[]::new));
  }

  Run cli(String... args) {
    return wheelhouse.run(args);
  }
}
