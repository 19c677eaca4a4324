package dev.pier.build;

import static dev.pier.build.TestApps.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.build.BuildResult.Failed;
import dev.pier.build.BuildResult.Succeeded;
import dev.pier.build.nodejs.FakeNodeRegistry;
import dev.pier.build.nodejs.NodeInstaller;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds choosing their Node.js from a registry on loopback ({@link FakeNodeRegistry}), whose
 * "node" says it is the version it was served as and otherwise runs the host's node.
 */
@Timeout(60)
class NodeVersionBuildTest {
  @TempDir Path tmp;
  @RegisterExtension final BuildLog log = new BuildLog();
  private final List<String> output = log.lines();
  private FakeNodeRegistry registry;
  private Path runtimes;
  private BuildRequest request;
  private Path src;

  @BeforeEach
  void setUp() throws IOException {
    TestApps.assumeSandboxAvailable();
    registry = new FakeNodeRegistry("24.1.0", "18.20.8", "20.11.1", "22.12.0", "22.13.1", "23.1.0", "24.1.0");
    runtimes = tmp.resolve("runtimes/node");
    request = TestApps.request(tmp, Map.of());
    src = request.sourceDir();
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  private Builder builder(URI registryUri) {
    return Builder.standard(Sandbox.system(), NodeInstaller.of(registryUri, runtimes))
        .withLimits(BuildLimits.DEFAULT.withTimeout(Duration.ofSeconds(45)));
  }

  private BuildResult build(URI registryUri) {
    return builder(registryUri).build(request, log.out());
  }

  private void app(String engines) throws IOException {
    write(src, "package.json", """
        {"name": "hello", "version": "1.0.0", %s
         "scripts": {"start": "node server.js", "build": "node --version > node-version.txt"}}
        """.formatted(engines == null ? "" : "\"engines\": {\"node\": \"" + engines + "\"},"));
  }

  @Test
  void enginesNodeChoosesTheNodeThatBuildsTheAppAndTheSlugNamesItWithoutCarryingIt() throws IOException {
    app("22.x");

    Succeeded ok = (Succeeded) build(registry.uri());

    assertThat(output).contains("-----> Using Node.js 22.13.1 (engines.node \"22.x\")");
    assertThat(TestApps.slugText(ok.slug(), "node-version.txt")).isEqualTo("v22.13.1\n");
    assertThat(TestApps.slugEntries(ok.slug()).keySet()).noneMatch(n -> n.contains("bin/node") || n.startsWith(".heroku"));
    assertThat(TestApps.slugText(ok.slug(), ".pier-node")).contains("version=22.13.1\n")
        .containsPattern("integrity=sha512-[A-Za-z0-9+/=]+\n");
    assertThat(ok.env().get("PATH")).startsWith("/opt/pier/node/bin:/app/node_modules/.bin:");
    assertThat(ok.runtime()).isEqualTo("Node.js 22.13.1");
    assertThat(runtimes.resolve("22.13.1/bin/node")).isExecutable();
  }

  @Test
  void npmInstallSeesTheChosenNodesHeadersForNativeAddons() throws IOException {
    write(src, "lib/package.json", "{\"name\": \"lib\", \"version\": \"1.0.0\"}");
    write(src, "package.json", """
        {"name": "hello", "version": "1.0.0", "engines": {"node": "22.x"},
         "dependencies": {"lib": "file:./lib"},
         "scripts": {"start": "node server.js",
           "postinstall": "node -e \\"require('fs').writeFileSync('headers.txt', String(require('fs').existsSync(process.env.npm_config_nodedir + '/include/node/node.h')))\\""}}
        """);

    Succeeded ok = (Succeeded) build(registry.uri());

    assertThat(TestApps.slugText(ok.slug(), "headers.txt")).isEqualTo("true");
    assertThat(TestApps.slugEntries(ok.slug()).keySet()).noneMatch(n -> n.contains("include/node"));
  }

  @Test
  void buildStepsCannotWriteIntoTheMountedNode() throws IOException {
    write(src, "package.json", """
        {"name": "hello", "version": "1.0.0", "engines": {"node": "22.x"},
         "scripts": {"start": "node server.js",
           "build": "node -e \\"const fs = require('fs'); let r = 'written'; try { fs.writeFileSync('/opt/pier/node/bin/node', 'x') } catch (e) { r = e.code } fs.writeFileSync('write.txt', r)\\""}}
        """);

    Succeeded ok = (Succeeded) build(registry.uri());

    assertThat(TestApps.slugText(ok.slug(), "write.txt")).isEqualTo("EROFS");
    assertThat(runtimes.resolve("22.13.1/bin/node")).isExecutable();
  }

  @Test
  void aSecondBuildTakesTheNodeFromTheCacheWithoutDownloadingIt() throws IOException {
    app("22.x");
    build(registry.uri());
    output.clear();

    Succeeded again = (Succeeded) builder(registry.uri()).build(
        new BuildRequest(request.app(), src, request.cacheDir(), tmp.resolve("slugs/2.tar.gz"), Map.of(), request.user()),
        log.out());

    assertThat(registry.downloads()).isEqualTo(1);
    assertThat(output).contains("       Node.js 22.13.1 is in Pier's cache");
    assertThat(again.runtime()).isEqualTo("Node.js 22.13.1");
  }

  @Test
  void withoutEnginesTheCurrentLtsIsUsedAndAppYamlRuntimeNarrowsIt() throws IOException {
    app(null);
    assertThat(((Succeeded) build(registry.uri())).runtime()).isEqualTo("Node.js 24.1.0");
    assertThat(output).contains("-----> Using Node.js 24.1.0 (the current LTS: package.json has no engines.node)");

    output.clear();
    write(src, "app.yaml", "runtime: nodejs20\n");
    assertThat(((Succeeded) build(registry.uri())).runtime()).isEqualTo("Node.js 20.11.1");
    assertThat(output).contains("-----> Using Node.js 20.11.1 (app.yaml runtime nodejs20)");
  }

  @Test
  void enginesNodeWinsOverADisagreeingAppYamlRuntimeAndTheOutputSaysSo() throws IOException {
    app("22.x");
    write(src, "app.yaml", "runtime: nodejs20\n");

    Succeeded ok = (Succeeded) build(registry.uri());

    assertThat(ok.runtime()).isEqualTo("Node.js 22.13.1");
    assertThat(output).contains(" !     app.yaml runtime nodejs20 asks for Node.js 20, but package.json"
        + " engines.node \"22.x\" does not allow it: engines.node wins");
  }

  @Test
  void aRangeNoReleaseSatisfiesFailsNamingTheNearestMajors() throws IOException {
    app("19.x");

    BuildResult result = build(registry.uri());

    assertThat(result).isEqualTo(new Failed("No Node.js release matches engines.node \"19.x\" (the"
        + " nearest available: 18.20.8, 20.11.1, 22.13.1, 23.1.0): change it in package.json to one"
        + " of these, e.g. \"20.x\""));
  }

  @Test
  void aDownloadFailingItsIntegrityCheckFailsTheBuildAndCachesNothing() throws IOException {
    app("22.x");
    registry.corrupt("22.13.1");

    BuildResult result = build(registry.uri());

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(((Failed) result).reason()).startsWith("Node.js 22.13.1: the download of Node.js 22.13.1"
        + " does not match the registry's sha512");
    try (Stream<Path> left = Files.list(runtimes)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void anUnreachableRegistryFallsBackToACachedReleaseThenToTheServersNode() throws IOException {
    URI unreachable = closedPort();
    app("22.x");
    write(src, ".pier-node", "version=18.20.8\n"); // only Pier writes it

    Succeeded hostNode = (Succeeded) build(unreachable);

    assertThat(output).anyMatch(l -> l.equals(" !     The npm registry (" + unreachable + ") could not be reached: connection refused"));
    assertThat(output).contains(" !     No cached Node.js fits (the cache is empty): building and running"
        + " with this server's own Node.js instead");
    assertThat(output).anyMatch(l -> l.matches("-----> Using Node.js \\d+\\.\\d+\\.\\d+ \\(the one installed on this Pier\\)"));
    assertThat(hostNode.runtime()).endsWith("(this server's)");
    assertThat(TestApps.slugEntries(hostNode.slug()).keySet()).doesNotContain(".pier-node");

    build(registry.uri()); // caches 22.13.1
    output.clear();
    Succeeded cached = (Succeeded) build(unreachable);

    assertThat(output).contains("       Using Node.js 22.13.1 from Pier's cache of earlier downloads");
    assertThat(cached.runtime()).isEqualTo("Node.js 22.13.1");
    assertThat(TestApps.slugText(cached.slug(), "node-version.txt")).isEqualTo("v22.13.1\n");
    assertThat(TestApps.slugText(cached.slug(), ".pier-node")).isEqualTo(
        "# The Node.js this app's processes run (written by Pier)\nversion=22.13.1\n");
  }

  private static URI closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
  }
}
