package dev.wheelhouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.server.testing.TestWheels;
import dev.wheelhouse.server.testing.UpstreamIndex;
import dev.wheelhouse.server.testing.UpstreamTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real pip through a group of the hosted index, a JSON upstream (PyPI-like) and an HTML-only
 * PyTorch-style upstream whose files live on a second host, one of them without a hash.
 */
class ProxyPipInstallTest {
  @TempDir Path data;
  @TempDir Path work;
  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void pipInstallsThroughTheGroupAndKeepsWorkingWhenUpstreamsStop() throws Exception {
    IsolatedPython python = IsolatedPython.find(work);
    Path dist = Files.createDirectories(work.resolve("dist"));

    UpstreamTree pypiTree = UpstreamTree.in(work.resolve("pypi"));
    pypiTree.add("requestsish", TestWheels.wheel(dist, "requestsish", "2.0", "py3-none-any"));
    pypiTree.add("foo", TestWheels.wheel(dist, "foo", "99.0", "py3-none-any"));
    UpstreamIndex pypi = start(pypiTree, UpstreamIndex.Options.defaults());

    UpstreamTree cdnTree = UpstreamTree.in(work.resolve("cdn"));
    UpstreamIndex cdn = start(cdnTree, UpstreamIndex.Options.defaults());
    Path torch = TestWheels.wheel(dist, "torch", "2.1.0+cu121", "py3-none-any");
    cdnTree.host(torch);
    UpstreamTree torchTree = UpstreamTree.in(work.resolve("torch"));
    torchTree.add(
        "torch", torch, UpstreamTree.FileOptions.defaults().absoluteLinkOn(cdn.baseUrl()));
    torchTree.add(
        "nvidia-nccl",
        TestWheels.wheel(dist, "nvidia-nccl", "2.18.1", "py3-none-any"),
        UpstreamTree.FileOptions.defaults().rootRelativeLink().omitHash());
    UpstreamIndex pytorch = start(torchTree, UpstreamIndex.Options.pytorch("/whl/cu121"));

    TestServer server =
        TestServer.startWithIndexes(
            data,
            "indexes:\n"
                + "  - name: local\n    type: hosted\n"
                + "  - name: pypi\n    type: proxy\n    url: "
                + pypi.simpleUrl()
                + "\n    ttl: 1ms\n"
                + "  - name: pytorch\n    type: proxy\n    url: "
                + pytorch.simpleUrl()
                + "\n    ttl: 1ms\n"
                + "  - name: all\n    type: group\n    members: [local, pypi, pytorch]\n"
                + "    routes: {\"torch*\": [pytorch], \"nvidia-*\": [pytorch]}\n"
                + "default-index: all\n"
                + "upload:\n  index: local\n");
    open.add(server);
    // Dependency confusion: the hosted foo 1.0 must win over upstream's foo 99.0.
    Path hostedFoo =
        TestWheels.wheel(
            Files.createDirectories(work.resolve("hosted")), "foo", "1.0", "py3-none-any");
    assertThat(server.upload(hostedFoo, "foo", "1.0").statusCode()).isEqualTo(200);

    Path first = python.venv("first");
    install(python, first, server);
    assertThat(imports(python, first))
        .containsExactly("requestsish 2.0", "foo 1.0", "torch 2.1.0+cu121", "nvidia-nccl 2.18.1");

    // Every upstream gone: cached pages are served stale and cached files still install.
    pypi.stop();
    pytorch.stop();
    cdn.stop();
    Path second = python.venv("second");
    install(python, second, server);
    assertThat(imports(python, second))
        .containsExactly("requestsish 2.0", "foo 1.0", "torch 2.1.0+cu121", "nvidia-nccl 2.18.1");
  }

  private UpstreamIndex start(UpstreamTree tree, UpstreamIndex.Options options) throws IOException {
    UpstreamIndex index = UpstreamIndex.start(tree, options);
    open.add(index);
    return index;
  }

  private static void install(IsolatedPython python, Path venv, TestServer server)
      throws Exception {
    python.pipInstall(
        venv,
        server.url() + "/simple/",
        Duration.ofMinutes(5),
        "requestsish",
        "foo",
        "torch==2.1.0+cu121",
        "nvidia-nccl");
  }

  private static List<String> imports(IsolatedPython python, Path venv) throws Exception {
    return python
        .run(
            Duration.ofMinutes(1),
            "import",
            List.of(
                venv.toString(),
                "-c",
                "import requestsish, foo, torch, nvidia_nccl\n"
                    + "for m in (requestsish, foo, torch, nvidia_nccl): print(m.VALUE)"))
        .lines()
        .toList();
  }
}
