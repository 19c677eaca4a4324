package dev.pier.build;

import dev.pier.testkit.ProcScan;
import static dev.pier.build.TestApps.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.build.BuildResult.Failed;
import dev.pier.build.BuildResult.Succeeded;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile build scripts, run by npm as a real build step through the sandbox, in real cgroups
 * under {@code pier-build-test} (needs root): each is stopped by a limit and leaves nothing behind.
 */
@Timeout(90)
class BuildConfinementTest {
  private static final String CGROUP_BASE = "pier-build-test";
  private static final BuildLimits LIMITS =
      new BuildLimits(256L << 20, 100, 1000, Duration.ofSeconds(60));

  @TempDir Path tmp;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());
  private final BuildOutput out = BuildOutput.collecting(output);
  private Cgroups cgroups;
  private Builder builder;
  private BuildRequest request;
  private Path src;

  @BeforeEach
  void setUp() throws IOException {
    TestApps.assumeSandboxAvailable();
    assumeTrue(Sandbox.runningAsRoot(), "needs root for cgroups and app uids");
    cgroups = Cgroups.detect(CGROUP_BASE);
    assumeTrue(cgroups.version() != Cgroups.Version.NONE, "no writable cgroups");
    cgroups.reapLeftovers();
    builder = Builder.standard(Sandbox.system()).withCgroups(cgroups).withLimits(LIMITS);
    request = TestApps.request(tmp, Map.of());
    src = request.sourceDir();
    write(src, "Procfile", "web: node server.js\n");
  }

  @AfterEach
  void printBuildLogAndCheckCleanup(TestInfo test) {
    System.out.println("== " + test.getDisplayName());
    synchronized (output) {
      output.forEach(System.out::println);
    }
    // Every step's cgroup is gone once the build has ended.
    assertThat(children(Path.of("/sys/fs/cgroup/memory", CGROUP_BASE)))
        .noneMatch(name -> name.startsWith("build-"));
  }

  @AfterAll
  static void removeBase() {
    Cgroups.detect(CGROUP_BASE).release();
  }

  @Test
  void buildAllocatingFarPastItsMemoryLimitFailsSayingItRanOutOfMemory() throws IOException {
    // 1.5 GiB in 64 MiB buffers, each written so it is really resident.
    buildScript("node -e 'const a = []; for (let i = 0; i < 24; i++) a.push(Buffer.alloc(64 << 20, 1));"
        + " console.log(\"allocated\", a.length * 64, \"MiB\")'");

    BuildResult result = builder.build(request, out);

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(((Failed) result).reason())
        .startsWith("npm run build failed (exit code ")
        .endsWith("out of memory, a process was killed for exceeding the build's memory limit of 256 MB");
    assertThat(output).noneMatch(line -> line.contains("allocated 1536 MiB"));
    assertThat(output).last().asString().contains("out of memory");
    assertThat(ProcScan.ofUid(TestApps.USER.uid())).isEmpty();
  }

  @Test
  void buildStartingTwoThousandProcessesIsStoppedByItsPidsLimit() throws IOException {
    buildScript("i=0; while [ $i -lt 2000 ]; do sleep 20.75 & i=$((i+1)); done; echo all-started; wait");

    BuildResult result = builder.build(request, out);

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(((Failed) result).reason())
        .startsWith("npm run build failed (exit code ")
        .endsWith("it reached the build's limit of 100 processes and threads");
    assertThat(output).doesNotContain("       all-started");
    assertThat(ProcScan.withCommandLine("sleep 20.75")).isEmpty();
  }

  @Test
  void daemonStartedByABuildStepIsGoneWhenTheStepEnds() throws IOException {
    buildScript("(setsid nohup sleep 321.5 &); (setsid nohup sleep 321.5 >/dev/null 2>&1 &); echo daemonized");
    long start = System.nanoTime();

    BuildResult result = builder.build(request, out);

    assertThat(result).isInstanceOf(Succeeded.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    assertThat(output).contains("       daemonized");
    assertThat(ProcScan.withCommandLine("sleep 321.5")).isEmpty();
    assertThat(ProcScan.ofUid(TestApps.USER.uid())).isEmpty();
  }

  @Test
  void buildRunningPastItsTimeoutFailsSayingSoAndLeavesNothing() throws IOException {
    buildScript("(setsid sleep 41.25 &); echo waiting; sleep 41.25");
    long start = System.nanoTime();

    BuildResult result = builder.withLimits(LIMITS.withTimeout(Duration.ofSeconds(3))).build(request, out);

    assertThat(result).isEqualTo(new Failed("build timed out after 3s"));
    assertThat(output).last().isEqualTo(" !     build timed out after 3s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(ProcScan.withCommandLine("sleep 41.25")).isEmpty();
    assertThat(ProcScan.ofUid(TestApps.USER.uid())).isEmpty();
  }

  /** A Procfile app whose package.json build script (run by npm, offline) runs {@code script}. */
  private void buildScript(String script) throws IOException {
    write(src, "build.sh", script + "\n");
    write(src, "package.json", "{\"name\": \"hostile\", \"version\": \"1.0.0\","
        + " \"scripts\": {\"build\": \"sh build.sh\"}}");
  }

  private static List<String> children(Path dir) {
    try (var entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
