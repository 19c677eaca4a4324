package dev.pier.build;

import static dev.pier.build.TestApps.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.build.BuildResult.Failed;
import dev.pier.build.BuildResult.Succeeded;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom buildpacks (Heroku's bin/detect, bin/compile, bin/release) and app-set buildpacks,
 * built through the real sandbox as uid 61101 when running as root, with real git and tar.
 */
@Timeout(60)
class CustomBuildpackBuildTest {
  /** A shell buildpack written to Heroku's conventions. */
  static final Map<String, String> HELLO_BUILDPACK = Map.of(
      "bin/detect", """
          #!/bin/sh
          # bin/detect BUILD_DIR
          [ -f "$1/hello.txt" ] || exit 1
          echo Hello
          """,
      "bin/compile", """
          #!/bin/sh
          # bin/compile BUILD_DIR CACHE_DIR ENV_DIR
          set -e
          BUILD_DIR=$1; CACHE_DIR=$2; ENV_DIR=$3
          echo "-----> Hello buildpack"
          echo "       PATH=$PATH"
          if [ -f "$CACHE_DIR/stamp" ]; then echo "       cache: warm"; else echo "       cache: cold"; fi
          echo built > "$CACHE_DIR/stamp"
          GREETING=hello
          [ -f "$ENV_DIR/GREETING" ] && GREETING=$(cat "$ENV_DIR/GREETING")
          [ -f "$BUILD_DIR/fail.txt" ] && { echo "       failing on purpose"; exit 3; }
          [ -f "$BUILD_DIR/hang.txt" ] && sleep 600
          printf '#!/bin/sh\\necho %s\\n' "$GREETING" > "$BUILD_DIR/start.sh"
          chmod +x "$BUILD_DIR/start.sh"
          """,
      "bin/release", """
          #!/bin/sh
          echo "stderr of release" >&2
          cat <<EOF
          ---
          config_vars:
            HELLO_BUILT: "yes"
          default_process_types:
            web: ./start.sh
          EOF
          """);

  @TempDir Path tmp;
  @TempDir Path bps;
  @RegisterExtension final BuildLog log = new BuildLog();
  private final List<String> output = log.lines();
  private final BuildOutput out = log.out();
  private Builder builder;
  private Path src;

  @BeforeEach
  void setUp() throws IOException {
    TestApps.assumeSandboxAvailable();
    builder = Builder.standard(Sandbox.system());
    src = TestApps.request(tmp, Map.of()).sourceDir();
    Files.setPosixFilePermissions(bps, PosixFilePermissions.fromString("rwxr-xr-x"));
  }


  private BuildRequest request(Map<String, String> vars, String... buildpacks) throws IOException {
    return TestApps.request(tmp, vars).withBuildpacks(List.of(buildpacks));
  }

  static Path writeBuildpack(Path dir) throws IOException {
    for (var e : HELLO_BUILDPACK.entrySet()) {
      write(dir, e.getKey(), e.getValue());
      Files.setPosixFilePermissions(dir.resolve(e.getKey()), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir.resolve("bin"), PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  static void run(Path cwd, String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IOException(String.join(" ", argv) + ": " + said);
  }

  /** A bare repository holding the buildpack, as a file:// URL. */
  static String gitRepo(Path bp, Path bare) throws IOException, InterruptedException {
    run(bp, "git", "init", "-q", "-b", "main");
    run(bp, "git", "add", "-A");
    run(bp, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "buildpack");
    run(bp, "git", "clone", "-q", "--bare", bp.toString(), bare.toString());
    return "file://" + bare;
  }

  private Succeeded assertSucceeded(BuildResult result) {
    assertThat(result).as(String.join("\n", output)).isInstanceOf(Succeeded.class);
    return (Succeeded) result;
  }

  @Test
  void aShellBuildpackInAServerDirectoryBuildsWithItsCacheEnvDirAndRelease() throws Exception {
    Path bp = writeBuildpack(bps.resolve("hello"));
    write(src, "hello.txt", "hi\n");

    Succeeded ok = assertSucceeded(builder.build(request(Map.of("GREETING", "bonjour"), bp.toString()), out));

    assertThat(ok.buildpack()).isEqualTo(bp.toString());
    assertThat(ok.language()).isEqualTo("Hello");
    assertThat(ok.processTypes()).containsExactly(Map.entry("web", "./start.sh"));
    assertThat(ok.env()).containsEntry("HELLO_BUILT", "yes");
    assertThat(TestApps.slugText(ok.slug(), "start.sh")).contains("echo bonjour");
    assertThat(output).contains("-----> Hello buildpack", "       cache: cold", "       stderr of release")
        .noneMatch(line -> line.contains("node_modules"));
    assertThat(output).anyMatch(line -> line.startsWith("       PATH=/usr/local/bin:/usr/bin:/bin"));

    output.clear();
    Files.deleteIfExists(tmp.resolve("slugs/test-app.tar.gz"));
    assertSucceeded(builder.build(request(Map.of(), bp.toString()), out));
    assertThat(output).contains("       cache: warm");
  }

  @Test
  void gitUrlsAndTarballsGiveTheSameBuildpack() throws Exception {
    Path bp = writeBuildpack(bps.resolve("hello"));
    String url = gitRepo(bp, bps.resolve("hello.git"));
    run(bps, "tar", "-czf", "hello.tgz", "-C", bp.toString(), "bin");
    write(src, "hello.txt", "hi\n");

    Succeeded fromGit = assertSucceeded(builder.build(request(Map.of(), url + "#main"), out));
    assertThat(fromGit.processTypes()).containsEntry("web", "./start.sh");
    Files.delete(fromGit.slug());

    Succeeded fromTarball = assertSucceeded(builder.build(request(Map.of(), bps.resolve("hello.tgz").toString()), out));
    assertThat(fromTarball.processTypes()).containsEntry("web", "./start.sh");
    assertThat(fromTarball.language()).isEqualTo("Hello");
    // nothing of the fetched buildpacks is left beside the source
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".buildpacks"));
    }
  }

  @Test
  void severalBuildpacksRunInOrderOnTheSameAppAndTheLastOnesProcessTypesWin() throws Exception {
    Path bp = writeBuildpack(bps.resolve("hello"));
    write(src, "hello.txt", "hi\n");
    write(src, "package.json", "{\"name\": \"x\", \"scripts\": {\"start\": \"node server.js\"}}");

    Succeeded ok = assertSucceeded(builder.build(request(Map.of(), "heroku/nodejs", bp.toString()), out));

    assertThat(ok.buildpack()).isEqualTo("nodejs, " + bp);
    assertThat(ok.language()).isEqualTo("nodejs, Hello");
    assertThat(ok.processTypes()).containsEntry("web", "./start.sh");
    // the Node.js buildpack put node_modules/.bin on the PATH of later steps and of instances
    assertThat(output).contains("-----> Buildpack 1 of 2: nodejs")
        .anyMatch(line -> line.startsWith("       PATH=/app/node_modules/.bin:/usr/local/bin"));
    assertThat(ok.env()).containsEntry("PATH", "/app/node_modules/.bin:/usr/local/bin:/usr/bin:/bin")
        .containsEntry("NODE_ENV", "production").containsEntry("HELLO_BUILT", "yes");
  }

  @Test
  void aTarballUrlIsDownloadedAndAMissingOneNamesTheHttpFailure() throws Exception {
    Path bp = writeBuildpack(bps.resolve("hello"));
    run(bps, "tar", "-czf", "hello.tgz", "-C", bps.toString(), "hello");
    byte[] tgz = Files.readAllBytes(bps.resolve("hello.tgz"));
    com.sun.net.httpserver.HttpServer http =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/bp/hello.tgz", ex -> {
      ex.sendResponseHeaders(200, tgz.length);
      ex.getResponseBody().write(tgz);
      ex.close();
    });
    http.start();
    try {
      write(src, "hello.txt", "hi\n");
      String base = "http://127.0.0.1:" + http.getAddress().getPort();
      Succeeded ok = assertSucceeded(builder.build(request(Map.of(), base + "/bp/hello.tgz"), out));
      assertThat(ok.processTypes()).containsEntry("web", "./start.sh");
      Files.delete(ok.slug());

      BuildResult missing = builder.build(request(Map.of(), base + "/bp/missing.tgz"), out);
      assertThat(((Failed) missing).reason())
          .startsWith("buildpack " + base + "/bp/missing.tgz could not be downloaded").contains("404");
    } finally {
      http.stop(0);
    }
  }

  @Test
  void whatAnEarlierBuildpackExportsIsSourcedBeforeTheNextCompiles() throws Exception {
    Path hello = writeBuildpack(bps.resolve("hello"));
    Path exporter = bps.resolve("exporter");
    write(exporter, "bin/detect", "#!/bin/sh\necho Exporter\n");
    write(exporter, "bin/compile", "#!/bin/sh\nmkdir -p $1/.exporter/bin\n"
        + "echo 'export PATH=/app/.exporter/bin:$PATH' > $(dirname $0)/../export\n");
    for (String f : List.of("bin/detect", "bin/compile")) {
      Files.setPosixFilePermissions(exporter.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    write(src, "hello.txt", "hi\n");

    Succeeded ok = assertSucceeded(builder.build(request(Map.of(), exporter.toString(), hello.toString()), out));

    assertThat(ok.language()).isEqualTo("Exporter, Hello");
    assertThat(output).anyMatch(line -> line.startsWith("       PATH=/app/.exporter/bin:/usr/local/bin"));
  }

  @Test
  void aBuildpackWhoseDetectMatchesNothingFailsTheBuild() throws Exception {
    Path bp = writeBuildpack(bps.resolve("hello"));
    write(src, "Procfile", "web: ./start.sh\n");

    BuildResult result = builder.build(request(Map.of(), bp.toString()), out);

    assertThat(((Failed) result).reason()).isEqualTo(
        "bin/detect of buildpack " + bp + " matched nothing (exit code 1): this buildpack cannot build the app");
  }

  @Test
  void aCustomBuildpackThatFailsNamesItsExitCode() throws Exception {
    Path bp = writeBuildpack(bps.resolve("hello"));
    write(src, "hello.txt", "hi\n");
    write(src, "fail.txt", "x\n");

    BuildResult result = builder.build(request(Map.of(), bp.toString()), out);

    assertThat(((Failed) result).reason()).isEqualTo("bin/compile of buildpack " + bp + " failed (exit code 3)");
    assertThat(output).contains("       failing on purpose");
  }

  @Test
  void aCompileThatRunsForeverIsKilledAtTheAppsBuildTimeout() throws Exception {
    Path bp = writeBuildpack(bps.resolve("hello"));
    write(src, "hello.txt", "hi\n");
    write(src, "hang.txt", "x\n");
    long start = System.nanoTime();

    BuildResult result = builder.build(request(Map.of("PIER_BUILD_TIMEOUT", "3s"), bp.toString()), out);

    assertThat(((Failed) result).reason()).isEqualTo("build timed out after 3s");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(15_000);
  }

  @Test
  void aUrlThatCannotBeClonedFailsWithGitsReason() throws Exception {
    write(src, "hello.txt", "hi\n");

    BuildResult result = builder.build(request(Map.of(), "file://" + bps.resolve("missing.git")), out);

    assertThat(((Failed) result).reason())
        .startsWith("buildpack file://" + bps.resolve("missing.git") + " could not be cloned (git exit code 128): ")
        .contains("does not appear to be a git repository");
  }

  @Test
  void aFileUrlReachesOnlyWhatTheAppsUserMayReadNotOtherAppsRepositories() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Sandbox.runningAsRoot(), "needs root to build as an app user");
    Path bp = writeBuildpack(bps.resolve("hello"));
    Path private_ = Files.createDirectory(bps.resolve("private"));
    String url = gitRepo(bp, private_.resolve("hello.git"));
    Files.setPosixFilePermissions(private_, PosixFilePermissions.fromString("rwx------"));
    write(src, "hello.txt", "hi\n");

    BuildResult result = builder.build(request(Map.of(), url), out);

    assertThat(((Failed) result).reason()).startsWith("buildpack " + url + " could not be cloned (git exit code 128)");
  }

  @Test
  void detectionOrderPutsBuiltInsBeforeProcfileOnlyAndNodeSpecificsStayInTheNodeBuildpack() throws Exception {
    List<String> names = builder.names();
    assertThat(names.getLast()).isEqualTo("procfile");
    assertThat(names.indexOf("nodejs")).isLessThan(names.indexOf("procfile"));

    write(src, "Procfile", "web: ./run\n");
    Succeeded ok = assertSucceeded(builder.build(TestApps.request(tmp, Map.of()), out));
    assertThat(ok.buildpack()).isEqualTo("procfile");
    assertThat(ok.env()).doesNotContainKey("PATH");
  }
}
