package dev.wheelhouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of validation, with the exact message and key path it reports. */
class ConfigValidationTest {
  private static final String HASH = Tokens.hash("secret");
  private static final String LOCAL = "{name: local, type: hosted}";
  private static final String PYPI = "{name: pypi, type: proxy, url: 'https://pypi.org/simple/'}";

  static List<String> errorsOf(String yaml) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "test.yaml"));
    assertThat(e).as("expected %s to be rejected", yaml).isNotNull();
    return e.errors();
  }

  /** One-line YAML documents (flow style) and the only error each must produce. */
  static Stream<Arguments> singleErrors() {
    return Stream.of(
        arguments("listen: abc", "listen: expected HOST:PORT, got 'abc'"),
        arguments("listen: 127.0.0.1:70000", "listen: expected a port 0..65535, got '70000'"),
        arguments("listen: [a]", "listen: expected a single value, got a list"),
        arguments("data: ''", "data: expected a value, got an empty one"),
        arguments("offline: yes", "offline: expected true or false, got 'yes'"),
        arguments("colour: red", "colour: unknown key"),
        arguments("default-indx: all", "default-indx: unknown key (did you mean 'default-index'?)"),
        arguments("auth: yes", "auth: expected a mapping, got a single value"),
        arguments(
            "auth: {anonymous-read: maybe}",
            "auth.anonymous-read: expected true or false, got 'maybe'"),
        arguments(
            "auth: {tokens: [{name: ci, hash: 'sha256:9f86d08...'}]}",
            "auth.tokens[0].hash: expected sha256:<64 hex>"),
        arguments(
            "auth: {tokens: [{name: ci, hash: wh_abcdef}]}",
            "auth.tokens[0].hash: expected sha256:<64 hex>; this looks like a token itself:"
                + " configure only its hash"),
        arguments("auth: {tokens: [{name: ci}]}", "auth.tokens[0].hash: required"),
        arguments("auth: {tokens: [{hash: '" + HASH + "'}]}", "auth.tokens[0].name: required"),
        arguments(
            "auth: {tokens: [{name: ci, hash: '" + HASH + "', roles: [upload, writer]}]}",
            "auth.tokens[0].roles[1]: unknown role 'writer' (expected read, upload or admin)"),
        arguments(
            "auth: {tokens: [{name: ci, hash: '" + HASH + "', roles: []}]}",
            "auth.tokens[0].roles: expected at least one role (read, upload or admin)"),
        arguments(
            "auth: {tokens: [{name: ci, hash: '"
                + HASH
                + "'}, {name: ci, hash: '"
                + Tokens.hash("other")
                + "'}]}",
            "auth.tokens[1].name: duplicate token name 'ci' (also at auth.tokens[0])"),
        arguments(
            "auth: {tokens: [{name: a, hash: '" + HASH + "'}, {name: b, hash: '" + HASH + "'}]}",
            "auth.tokens[1].hash: duplicate token hash (also at auth.tokens[0])"),
        arguments(
            "auth: {tokens: [{name: ci, hash: '" + HASH + "', role: [admin]}]}",
            "auth.tokens[0].role: unknown key (did you mean 'roles'?)"),
        arguments(
            "indexes: [" + LOCAL + ", " + LOCAL + "]",
            "indexes[1].name: duplicate index name 'local' (also at indexes[0])"),
        arguments(
            "indexes: [{name: Local, type: hosted}]",
            "indexes[0].name: expected a name of lowercase letters, digits, '.', '_' and '-'"
                + " starting with a letter or digit, got 'Local'"),
        arguments("indexes: [{type: hosted}]", "indexes[0].name: required"),
        arguments("indexes: [{name: x}]", "indexes[0].type: required"),
        arguments(
            "indexes: [{name: x, url: 'https://x/', members: [y]}]", "indexes[0].type: required"),
        arguments(
            "indexes: [{name: X, type: proxy, url: 'https://x/', ttl: 1m}]",
            "indexes[0].name: expected a name of lowercase letters, digits, '.', '_' and '-'"
                + " starting with a letter or digit, got 'X'"),
        arguments(
            "indexes: [{name: x, type: mirror}]",
            "indexes[0].type: unknown index type 'mirror' (expected hosted, proxy or group)"),
        arguments("indexes: [{name: x, type: proxy}]", "indexes[0].url: required"),
        arguments(
            "indexes: [{name: x, type: proxy, url: 'ftp://x/'}]",
            "indexes[0].url: expected an http or https URL, got 'ftp://x/'"),
        arguments(
            "indexes: [{name: x, type: proxy, url: 'https://u:p@x/simple/'}]",
            "indexes[0].url: credentials do not belong in the URL (they would show in logs): use"
                + " username and password"),
        arguments(
            "indexes: [{name: x, type: hosted, url: 'https://x/'}]",
            "indexes[0].url: only proxy indexes have 'url' (this one is hosted)"),
        arguments(
            "indexes: ["
                + LOCAL
                + ", {name: all, type: group, members: [local], url: 'https://x/'}]",
            "indexes[1].url: only proxy indexes have 'url' (this one is group)"),
        arguments(
            "indexes: [{name: x, type: proxy, url: 'https://x/', members: [x]}]",
            "indexes[0].members: only group indexes have 'members' (this one is proxy)"),
        arguments(
            "indexes: [{name: x, type: proxy, url: 'https://x/', ttl: soon}]",
            "indexes[0].ttl: expected a duration like 30s, 10m, 1h, 90d, 500ms or 1h30m, got"
                + " 'soon'"),
        arguments(
            "indexes: [{name: x, type: proxy, url: 'https://x/', read-timeout: 0s}]",
            "indexes[0].read-timeout: expected a duration above zero, got '0s'"),
        arguments(
            "indexes: [{name: x, type: proxy, url: 'https://x/', username: me}]",
            "indexes[0].password: username and password go together"),
        arguments(
            "indexes: [{name: x, type: proxy, url: 'https://x/', include: ['a b']}]",
            "indexes[0].include[0]: expected a project name pattern (letters, digits, '.', '_',"
                + " '-' and wildcards * ?), got 'a b'"),
        arguments(
            "indexes: [" + LOCAL + ", {name: all, type: group, members: [local, foo]}]",
            "indexes[1].members[1]: unknown index 'foo'"),
        arguments(
            "indexes: [{name: all, type: group, members: [all]}]",
            "indexes[0].members[0]: a group cannot contain itself"),
        arguments(
            "indexes: [" + LOCAL + ", {name: all, type: group, members: [local, local]}]",
            "indexes[1].members[1]: duplicate member 'local'"),
        arguments(
            "indexes: [{name: all, type: group}]",
            "indexes[0].members: a group needs at least one member"),
        arguments(
            "indexes: ["
                + LOCAL
                + ", {name: a, type: group, members: [b]},"
                + " {name: b, type: group, members: [local, a]}]",
            "indexes[2].members[1]: group cycle a -> b -> a"),
        arguments(
            "indexes: ["
                + LOCAL
                + ", "
                + PYPI
                + ", {name: all, type: group, members: [local], routes: {'torch*': [pypi]}}]",
            "indexes[2].routes[\"torch*\"][0]: 'pypi' is not a member of this group"),
        arguments(
            "indexes: ["
                + LOCAL
                + ", {name: all, type: group, members: [local], routes: {'a b': [local]}}]",
            "indexes[1].routes[\"a b\"]: expected a project name pattern (letters, digits, '.',"
                + " '_', '-' and wildcards * ?), got 'a b'"),
        arguments(
            "indexes: [" + LOCAL + ", {name: all, type: group, members: [local], colour: red}]",
            "indexes[1].colour: unknown key"),
        arguments(
            "indexes: []",
            "default-index: no index is configured, so there is nothing to" + " serve at /simple/"),
        arguments("default-index: nope", "default-index: unknown index 'nope'"),
        arguments(
            "indexes: [" + LOCAL + ", " + PYPI + "]\nupload: {index: pypi}",
            "upload.index: index 'pypi' is a proxy index; uploads need a hosted index"),
        arguments("upload: {index: nope}", "upload.index: unknown index 'nope'"),
        arguments("upload: {max-size: 0}", "upload.max-size: expected a size above zero, got '0'"),
        arguments(
            "upload: {max-size: 4 gigs}",
            "upload.max-size: expected a size like 4096, 10kB, 512MiB or 1.5GB, got '4 gigs'"),
        arguments(
            "pages: {max-age: soon}",
            "pages.max-age: expected a duration like 30s, 10m, 1h, 90d, 500ms or 1h30m, got 'soon'"),
        arguments("pages: {cache: 1GB}", "pages.cache: unknown key"),
        arguments(
            "indexes: [" + LOCAL + ", " + PYPI + "]\nprune: {hosted: [pypi]}",
            "prune.hosted[0]: index 'pypi' is a proxy index; only hosted indexes are listed here"
                + " (caches are always prunable)"),
        arguments("prune: {hosted: [nope]}", "prune.hosted[0]: unknown index 'nope'"),
        arguments(
            "prune: {interval: 0s}", "prune.interval: expected a duration above zero, got '0s'"),
        arguments(
            "prune: {min-free: some}",
            "prune.min-free: expected a size like 4096, 10kB, 512MiB or 1.5GB, got 'some'"),
        arguments(
            "prune: {max-size: lots}",
            "prune.max-size: expected a size like 4096, 10kB, 512MiB or 1.5GB, got 'lots'"),
        arguments(
            "prune: {keep: [torch, 'x/y']}",
            "prune.keep[1]: expected a project name pattern (letters, digits, '.', '_', '-' and"
                + " wildcards * ?), got 'x/y'"),
        arguments("apt: {mirrors: [{name: debian}]}", "apt.mirrors[0].url: required"),
        arguments(
            "apt: {mirrors: [{name: debian, url: 'http://mirror.example.org/debian', ttl: x}]}",
            "apt.mirrors[0].ttl: expected a duration like 30s, 10m, 1h, 90d, 500ms or 1h30m, got"
                + " 'x'"),
        arguments(
            "apt: {mirrors: [{name: d, url: 'http://m.example.org/'},"
                + " {name: d, url: 'http://n.example.org/'}]}",
            "apt.mirrors[1].name: duplicate mirror name 'd' (also at apt.mirrors[0])"),
        arguments("builds: [{name: x}]", "builds[0]: needs a source: one of git, sdist or path"),
        arguments(
            "builds: [{name: x, sdist: x==1, path: /src}]",
            "builds[0]: has more than one source: give only one of git, sdist or path"),
        arguments(
            "builds: [{name: x, git: 'https://example.org/x.git'}]",
            "builds[0].ref: required with git: the commit (best), tag or branch to build"),
        arguments(
            "builds: [{name: x, path: /src, ref: main}]",
            "builds[0].ref: only a git source has a ref"),
        arguments(
            "builds: [{name: x, path: /src, python: [3]}]",
            "builds[0].python[0]: expected a Python version like 3.12, got '3'"),
        arguments(
            "builds: [{name: x, path: /src, platforms: [arm64]}]",
            "builds[0].platforms[0]: expected a platform like linux/arm64, got 'arm64'"),
        arguments(
            "builds: [{name: x, path: /src, system-packages: ['cmake; rm -rf /']}]",
            "builds[0].system-packages[0]: expected a Debian package name, got 'cmake; rm -rf /'"),
        arguments(
            "builds: [{name: x, path: /src, env: {'1BAD': x}}]",
            "builds[0].env.1BAD: expected an environment variable name"),
        arguments(
            "builds: [{name: x, path: /a}, {name: x, path: /b}]",
            "builds[1].name: duplicate build name 'x' (also at builds[0])"));
  }

  @ParameterizedTest
  @MethodSource("singleErrors")
  void reportsTheProblemAtItsPath(String yaml, String error) {
    assertThat(errorsOf(yaml)).containsExactly(error);
  }

  @Test
  void reportsEveryProblemAtOnce() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ConfigLoader.parse(
                    """
                    listen: abc
                    auth:
                      tokens:
                        - {name: ci, hash: nope}
                    indexes:
                      - {name: local, type: hosted}
                      - {name: pypi, type: proxy}
                      - {name: all, type: group, members: [local, foo], colour: red}
                    upload: {index: pypi}
                    """,
                    "test.yaml"));
    assertThat(e.errors())
        .containsExactly(
            "listen: expected HOST:PORT, got 'abc'",
            "auth.tokens[0].hash: expected sha256:<64 hex>",
            "indexes[1].url: required",
            "indexes[2].colour: unknown key",
            "indexes[2].members[1]: unknown index 'foo'",
            "upload.index: index 'pypi' is a proxy index; uploads need a hosted index");
    assertThat(e.getMessage())
        .isEqualTo(
            """
            invalid configuration (6 errors):
              - listen: expected HOST:PORT, got 'abc'
              - auth.tokens[0].hash: expected sha256:<64 hex>
              - indexes[1].url: required
              - indexes[2].colour: unknown key
              - indexes[2].members[1]: unknown index 'foo'
              - upload.index: index 'pypi' is a proxy index; uploads need a hosted index""");
  }

  @Test
  void aBrokenIndexIsReportedOnceNotAgainWhereItIsReferenced() {
    assertThat(
            errorsOf(
                "indexes: [{name: pypi, type: mirror}, {name: all, type: group, members: [pypi]}]\n"
                    + "default-index: pypi"))
        .containsExactly(
            "indexes[0].type: unknown index type 'mirror' (expected hosted, proxy or group)");
  }

  @Test
  void singularMessageForOneError() {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("listen: x", "t"));
    assertThat(e.getMessage())
        .isEqualTo("invalid configuration (1 error):\n  - listen: expected HOST:PORT, got 'x'");
  }

  static Stream<Arguments> yamlProblems() {
    return Stream.of(
        arguments(
            "listen: a: b", "test.yaml: line 1, column 10: mapping values are not allowed here"),
        arguments(
            "indexes: [a, b\n",
            "test.yaml: line 2, column 1: expected ',' or ']', but got <stream end> (while parsing a"
                + " flow sequence started at line 1)"),
        arguments(
            "listen: 0.0.0.0:1\nlisten: 0.0.0.0:2", "listen: duplicate key (test.yaml line 2)"),
        arguments(
            "offline: &x false\nlisten: *x",
            "listen: YAML aliases (*x) are not supported (test.yaml line 2)"),
        arguments(
            "- a\n- b", "test.yaml: expected a mapping of configuration keys at the top level"),
        arguments(
            "offline: false\n---\noffline: true",
            "test.yaml: line 3, column 1: expected one YAML document"));
  }

  @ParameterizedTest
  @MethodSource("yamlProblems")
  void reportsYamlProblemsWithFileAndLine(String yaml, String error) {
    assertThat(errorsOf(yaml)).containsExactly(error);
  }
}
