package dev.pier.build;

import static dev.pier.build.TestApps.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.build.BuildResult.Failed;
import dev.pier.build.BuildResult.Succeeded;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Full builds through the real sandbox, as uid 61101 when running as root; no network needed. */
@Timeout(30)
class BuilderTest {
  @TempDir Path tmp;
  @RegisterExtension final BuildLog log = new BuildLog();
  private final List<String> output = log.lines();
  private final BuildOutput out = log.out();
  private Builder builder;
  private BuildRequest request;
  private Path src;

  @BeforeEach
  void setUp() throws IOException {
    TestApps.assumeSandboxAvailable();
    builder = Builder.standard(Sandbox.system());
    request = TestApps.request(tmp, Map.of("GREETING", "hello from config"));
    src = request.sourceDir();
  }


  @Test
  void dependencyFreeNodeAppBuildsFastWithNpmStartAsWeb() throws IOException {
    write(src, "package.json", "{\"name\": \"hello\", \"version\": \"1.0.0\"}");
    write(src, "server.js", "require('http').createServer((q, s) => s.end('hi')).listen(process.env.PORT)\n");
    long start = System.nanoTime();

    BuildResult result = builder.build(request, out);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    Succeeded ok = assertSucceeded(result);
    assertThat(ok.buildpack()).isEqualTo("nodejs");
    assertThat(ok.processTypes()).containsExactly(Map.entry("web", "npm start"));
    assertThat(ok.slugBytes()).isEqualTo(Files.size(request.slugFile()));
    assertThat(TestApps.slugEntries(ok.slug())).containsKeys("server.js", "package.json");
    assertThat(output).startsWith("-----> Building test-app with the nodejs buildpack");
    assertThat(output).contains(
        "       engines.node (package.json): unspecified",
        "       No dependencies in package.json; skipping npm install",
        "-----> Discovering process types",
        "       Default types for buildpack -> web");
    assertThat(output).anyMatch(line -> line.matches(
        "-----> Using Node.js \\d+\\.\\d+\\.\\d+ \\(the one installed on this Pier\\)"));
  }

  @Test
  void procfileOnlyAppBuildsWithItsCommands() throws IOException {
    write(src, "Procfile", "web: sh -c 'echo hi'\nworker: sleep 1000\n");
    write(src, "README", "generic app\n");

    Succeeded ok = assertSucceeded(builder.build(request, out));

    assertThat(ok.buildpack()).isEqualTo("procfile");
    assertThat(ok.processTypes()).containsExactly(
        Map.entry("web", "sh -c 'echo hi'"), Map.entry("worker", "sleep 1000"));
    assertThat(TestApps.slugEntries(ok.slug())).containsKeys("Procfile", "README");
    assertThat(output).contains(
        "-----> Building test-app with the procfile buildpack",
        "       Procfile declares types -> web, worker");
  }

  @Test
  void anAppsBuildTimeoutCannotExceedTheOperators() throws IOException {
    Builder capped = builder.withLimits(BuildLimits.DEFAULT.withTimeout(java.time.Duration.ofMinutes(10)));
    BuildRequest longer = TestApps.request(
        java.nio.file.Files.createDirectories(tmp.resolve("longer")), Map.of("PIER_BUILD_TIMEOUT", "2h"));
    write(longer.sourceDir(), "Procfile", "web: sleep 1000\n");

    BuildResult result = capped.build(longer, out);

    assertThat(result).isInstanceOf(Succeeded.class);
    assertThat(output).anyMatch(l -> l.contains("PIER_BUILD_TIMEOUT 2h is more than this Pier's build timeout of 10m: using 10m"));
  }

  @Test
  void sourceWithoutPackageJsonOrProcfileIsRejected() throws IOException {
    write(src, "README.md", "no code here\n");

    BuildResult result = builder.build(request, out);

    assertThat(result).isEqualTo(new Failed(
        Builder.NO_BUILDPACK));
    assertThat(output).last().isEqualTo(
        " !     " + Builder.NO_BUILDPACK);
  }

  @Test
  void badProcfileLineFailsBeforeAnythingRuns() throws IOException {
    write(src, "package.json", "{\"name\": \"hello\", \"scripts\": {\"build\": \"touch built\"}}");
    write(src, "Procfile", "web: npm start\nworker node worker.js\n");

    BuildResult result = builder.build(request, out);

    assertThat(result).isEqualTo(new Failed("Procfile line 2: expected 'type: command'"));
    assertThat(src.resolve("built")).doesNotExist();
    assertThat(request.slugFile()).doesNotExist();
  }

  @Test
  void symlinkedProcfileIsRefusedWithoutReadingItsTarget() throws IOException {
    Files.createSymbolicLink(src.resolve("Procfile"), Path.of("/etc/passwd"));

    BuildResult result = builder.build(request, out);

    assertThat(result).isEqualTo(new Failed(
        "Procfile must be a regular file, not a symbolic link or directory"));
    assertThat(output).noneMatch(line -> line.contains("root:"));
  }

  @Test
  void malformedPackageJsonFailsNamingLineAndColumn() throws IOException {
    write(src, "package.json", "{\n  \"name\": \"hello\"\n  \"version\": \"1.0.0\"\n}\n");

    BuildResult result = builder.build(request, out);

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(((Failed) result).reason()).startsWith("package.json line 3, column 3: ");
  }

  @Test
  void appYamlWithAnotherRuntimeIsRejectedNamingIt() throws IOException {
    write(src, "package.json", "{\"name\": \"hello\"}");
    write(src, "app.yaml", "runtime: ruby32\n");

    BuildResult result = builder.build(request, out);

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(((Failed) result).reason())
        .contains("runtime 'ruby32' is not supported by any buildpack: Pier builds nodejs, java, python, go")
        .doesNotContain("Pier builds Node.js apps");
  }

  @Test
  void appYamlOtherRuntimeIsOnlyWarnedAboutWhenAProcfileExists() throws IOException {
    write(src, "app.yaml", "runtime: ruby32\n");
    write(src, "Procfile", "web: python3 -m http.server\n");

    assertSucceeded(builder.build(request, out));
    assertThat(output).contains(" !     app.yaml runtime 'ruby32' is ignored: the Procfile is used");
  }

  @Test
  void appYamlEntrypointBecomesWebAndEnvVariablesAreReturned() throws IOException {
    write(src, "package.json", "{\"name\": \"hello\", \"scripts\": {\"start\": \"node server.js\"}}");
    write(src, "app.yaml", """
        runtime: nodejs20
        env: flex
        entrypoint: node app.js
        handlers:
          - url: /.*
            script: auto
        beta_settings:
          x: y
        env_variables:
          GREETING: hi
        """);
    write(src, "Procfile", "worker: node worker.js\n");

    Succeeded ok = assertSucceeded(builder.build(request, out));

    assertThat(ok.processTypes()).containsExactly(
        Map.entry("web", "node app.js"), Map.entry("worker", "node worker.js"));
    assertThat(ok.env()).as("app.yaml's variables beside the Node.js buildpack's defaults")
        .containsExactly(Map.entry("PATH", "/app/node_modules/.bin:/usr/local/bin:/usr/bin:/bin"),
            Map.entry("NODE_ENV", "production"), Map.entry("GREETING", "hi"));
    assertThat(output).contains(
        "       app.yaml env/vm setting accepted: Pier runs every app the same way",
        " !     app.yaml keys ignored by Pier: beta_settings.x",
        "       Procfile declares types -> worker",
        "       app.yaml entrypoint -> web");
  }

  @Test
  void anEnvVariableHoldingANulFailsTheBuildWithItsName() throws IOException {
    write(src, "package.json", "{\"name\": \"hello\", \"scripts\": {\"start\": \"node server.js\"}}");
    write(src, "app.yaml", """
        runtime: nodejs20
        env_variables:
          SNEAKY: "v\\0--ro-bind\\0/proc\\0/tmp/hostproc"
        """);

    BuildResult result = builder.build(request, out);

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(((Failed) result).reason()).contains("SNEAKY").contains("NUL");
  }

  @Test
  void appYamlScalingAndResourcesAreReportedAndReturned() throws IOException {
    write(src, "Procfile", "web: node web.js\n");
    write(src, "app.yaml", """
        runtime: nodejs20
        automatic_scaling:
          min_instances: 1
          max_instances: 3
          target_concurrent_requests: 5
          target_cpu_utilization: 0.6
          max_idle_instances: 2
        resources:
          memory_gb: 1
        """);

    Succeeded ok = assertSucceeded(builder.build(request, out));

    assertThat(ok.scaling().autoscale()).isEqualTo(new AppScaling.Autoscale(1, 3, "concurrency", 5));
    assertThat(ok.scaling().size()).isEqualTo("standard-2x");
    assertThat(output).contains(
        " !     app.yaml keys ignored by Pier: automatic_scaling.max_idle_instances",
        " !     app.yaml automatic_scaling sets a concurrency and a CPU target: Pier's autoscaler"
            + " follows one, so web scales on concurrency and target_cpu_utilization is ignored",
        "       app.yaml sets: web autoscales between 1 and 3 instances at 5 concurrent requests;"
            + " size standard-2x (memory_gb 1) (applied when the release is created)");
  }

  @Test
  void buildWithoutAppYamlCarriesNoScaling() throws IOException {
    write(src, "Procfile", "web: node web.js\n");

    assertThat(assertSucceeded(builder.build(request, out)).scaling()).isEqualTo(AppScaling.NONE);
  }

  @Test
  void procfileWebWinsOverEntrypointAndNpmStart() throws IOException {
    write(src, "package.json", "{\"name\": \"hello\", \"scripts\": {\"start\": \"node server.js\"}}");
    write(src, "app.yaml", "runtime: nodejs\nentrypoint: node app.js\n");
    write(src, "Procfile", "web: node web.js\n");

    Succeeded ok = assertSucceeded(builder.build(request, out));

    assertThat(ok.processTypes()).containsExactly(Map.entry("web", "node web.js"));
    assertThat(output).contains(
        "       app.yaml entrypoint is ignored: the Procfile's web command is used");
  }

  @Test
  void aStaticDirMissingFromTheBuiltAppFailsTheBuildAndAnUploadMatchingNothingWarns() throws IOException {
    write(src, "package.json", "{\"name\": \"hello\", \"scripts\": {\"start\": \"node a.js\"}}");
    write(src, "app.yaml", """
        runtime: nodejs20
        handlers:
          - url: /(.*\\.ico)
            static_files: icons/\\1
            upload: icons/.*
          - url: /static
            static_dir: public
        """);

    BuildResult result = builder.build(request, out);

    assertThat(result).isEqualTo(new Failed("app.yaml handler /static: static_dir 'public' is not a directory of the app"));
    assertThat(output).contains(" !     app.yaml handler /(.*\\.ico): upload 'icons/.*' matches no file of the app"
        + " (its requests will get 404)");
  }

  @Test
  void nodeAppWithoutAnyProcessTypeFailsClearly() throws IOException {
    write(src, "package.json", "{\"name\": \"hello\"}");
    write(src, "index.js", "console.log('hi')");

    BuildResult result = builder.build(request, out);

    assertThat(result).isEqualTo(new Failed(Builder.NO_PROCESS_TYPES));
  }

  @Test
  void appYamlRuntimeAskingForAnotherNodeMajorWarnsAndBuildsWithTheInstalledOne() throws IOException {
    write(src, "package.json", "{\"name\": \"hello\", \"scripts\": {\"start\": \"node a.js\"}}");
    write(src, "app.yaml", "runtime: nodejs8\n");

    assertSucceeded(builder.build(request, out));

    assertThat(output).anyMatch(line -> line.matches(" !     app.yaml runtime 'nodejs8' asks for"
        + " Node.js 8, but this Pier has only Node.js v[0-9.]+; building and running with it"));
  }

  @Test
  void unsatisfiedEnginesNodeOnlyWarns() throws IOException {
    write(src, "package.json",
        "{\"name\": \"hello\", \"engines\": {\"node\": \">=99\"}, \"scripts\": {\"start\": \"node a.js\"}}");

    assertSucceeded(builder.build(request, out));

    assertThat(output).anyMatch(line -> line.matches(
        " !     engines.node '>=99' does not allow the installed Node.js v[0-9.]+; building with it anyway"));
  }

  @Test
  void buildScriptRunsSandboxedAsTheAppUserWithConfigVarsAndStreamsOutput() throws IOException {
    write(src, "package.json", """
        {"name": "hello", "scripts": {
          "start": "node server.js",
          "build": "echo first-line && sleep 1.5 && id -u > uid.txt && echo \\"$GREETING\\" > greeting.txt && echo NODE_ENV=$NODE_ENV && echo second-line"
        }}
        """);
    Map<String, Long> arrivals = new ConcurrentHashMap<>();
    BuildOutput timed = BuildOutput.lines(line -> {
      output.add(line);
      arrivals.putIfAbsent(line.strip(), System.nanoTime());
    });

    Succeeded ok = assertSucceeded(builder.build(request, timed));

    assertThat(output).contains("-----> Build", "       NODE_ENV=production");
    long gap = arrivals.get("second-line") - arrivals.get("first-line");
    assertThat(Duration.ofNanos(gap)).isGreaterThan(Duration.ofMillis(1000));
    String expectedUid = request.user() == null ? null : request.user().uid() + "\n";
    if (expectedUid != null) assertThat(TestApps.slugText(ok.slug(), "uid.txt")).isEqualTo(expectedUid);
    assertThat(TestApps.slugText(ok.slug(), "greeting.txt")).isEqualTo("hello from config\n");
  }

  @Test
  void failingBuildScriptFailsWithItsExitCode() throws IOException {
    write(src, "package.json",
        "{\"name\": \"hello\", \"scripts\": {\"start\": \"node a.js\", \"build\": \"echo broken >&2; exit 3\"}}");

    BuildResult result = builder.build(request, out);

    assertThat(result).isEqualTo(new Failed("npm run build failed (exit code 3)"));
    assertThat(output).contains("       broken", " !     npm run build failed (exit code 3)");
  }

  @Test
  void stepRunningPastTheTimeoutIsKilledWithItsChildren() throws IOException, InterruptedException {
    write(src, "package.json",
        "{\"name\": \"hello\", \"scripts\": {\"start\": \"node a.js\", \"build\": \"sleep 31.4159 & sleep 31.4159; wait\"}}");
    long start = System.nanoTime();

    BuildResult result =
        builder.withLimits(BuildLimits.DEFAULT.withTimeout(Duration.ofSeconds(2))).build(request, out);

    assertThat(result).isEqualTo(new Failed("build timed out after 2s"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    Thread.sleep(200);
    assertThat(ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().orElse("").contains("31.4159"))
            .filter(ProcessHandle::isAlive)
            .toList())
        .isEmpty();
  }

  private static Succeeded assertSucceeded(BuildResult result) {
    assertThat(result).isInstanceOf(Succeeded.class);
    return (Succeeded) result;
  }
}
