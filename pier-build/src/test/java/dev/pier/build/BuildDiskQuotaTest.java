package dev.pier.build;

import static dev.pier.build.TestApps.write;
import static dev.pier.testkit.HostDisks.allocatedBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.build.BuildResult.Failed;
import dev.pier.build.BuildResult.Succeeded;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Disks;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Builds that write too much, run by npm as real build steps through the sandbox, on a real loop
 * disk of 32 MB and a 32 MB /tmp (needs root).
 */
@Timeout(120)
class BuildDiskQuotaTest {
  private static final String CGROUP_BASE = "pier-build-disk-test";
  private static final long MB = 1 << 20;
  private static final BuildLimits LIMITS =
      new BuildLimits(256L << 20, 100, 1000, Duration.ofSeconds(90)).withDisk(32 * MB, 32 * MB);

  @TempDir Path tmp;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());
  private final BuildOutput out = BuildOutput.collecting(output);
  private Builder builder;
  private BuildRequest request;
  private Path src;

  @BeforeEach
  void setUp() throws IOException {
    TestApps.assumeSandboxAvailable();
    assumeTrue(Sandbox.runningAsRoot(), "needs root for loop disks and app uids");
    Disks disks = Disks.detect();
    assumeTrue(disks.caps(), "this host cannot make loop disks");
    Cgroups cgroups = Cgroups.detect(CGROUP_BASE);
    cgroups.reapLeftovers();
    builder = Builder.standard(Sandbox.system()).withCgroups(cgroups).withLimits(LIMITS).withDisks(disks);
    request = TestApps.request(tmp, Map.of());
    src = request.sourceDir();
    write(src, "Procfile", "web: node server.js\n");
  }

  @AfterEach
  void printBuildLogAndCheckNothingIsMounted(TestInfo test) throws IOException {
    System.out.println("== " + test.getDisplayName());
    synchronized (output) {
      output.forEach(System.out::println);
    }
    assertThat(mountedUnder(tmp)).as("disks still mounted once the build has ended").isEmpty();
    Disks.loop().reapLeftovers(tmp);
  }

  @AfterAll
  static void removeCgroups() {
    Cgroups.detect(CGROUP_BASE).release();
  }

  @Test
  void buildWritingTwiceItsDiskFailsSayingItUsedMoreThanItsDiskAndTheHostDiskIsSpared()
      throws Exception {
    buildScript("dd if=/dev/zero of=big bs=1M count=64");

    BuildResult result = builder.build(request, out);

    assertThat(result).isEqualTo(new Failed("npm run build failed (exit code 1): the build used more"
        + " than 32 MB of disk (its source, dependencies and build cache together)"));
    assertThat(output).last().asString().contains("the build used more than 32 MB of disk");
    assertThat(output).anyMatch(line -> line.contains("No space left on device"));
    assertThat(allocatedBytes(tmp)).as("bytes of the data disk used by the build").isLessThan(33 * MB);
  }

  @Test
  void buildWritingTwiceItsTmpFailsSayingItRanOutOfDiskSpace() throws Exception {
    buildScript("dd if=/dev/zero of=/tmp/big bs=1M count=64");

    BuildResult result = builder.build(request, out);

    assertThat(result).isEqualTo(new Failed("npm run build failed (exit code 1): out of disk space"
        + " (a build may write 32 MB to /tmp and 32 MB to /app and /cache)"));
  }

  @Test
  void buildOnItsDiskGetsTheSourceKeepsItsCacheAndLeavesNoCopyBehind() throws Exception {
    write(src, "server.js", "console.log('hi')\n");
    buildScript("test -f server.js && echo cached > /cache/mark && echo built > built.txt");

    BuildResult result = builder.build(request, out);

    assertThat(result).isInstanceOf(Succeeded.class);
    assertThat(TestApps.slugText(request.slugFile(), "built.txt")).isEqualTo("built\n");
    assertThat(src.resolve("built.txt")).as("the source tree itself is not written").doesNotExist();
    assertThat(request.cacheDir().resolve("disk.img")).exists();

    Files.writeString(src.resolve("build.sh"), "cat /cache/mark; ls\n");
    builder.build(request, out);

    assertThat(output).contains("       cached").doesNotContain("       built.txt");
  }

  @Test
  void aCacheHoldingMoreThanHalfTheDiskIsClearedBeforeTheNextBuild() throws Exception {
    buildScript("dd if=/dev/zero of=/cache/blob bs=1M count=20 2>/dev/null; ls /cache");
    assertThat(builder.build(request, out)).isInstanceOf(Succeeded.class);
    output.clear();

    assertThat(builder.build(request, out)).isInstanceOf(Succeeded.class);

    assertThat(output).anyMatch(line -> line.matches("       Clearing the build cache: it held \\d+ MB of the build's 32 MB disk"));
  }

  /** A Procfile app whose package.json build script (run by npm, offline) runs {@code script}. */
  private void buildScript(String script) throws IOException {
    write(src, "build.sh", script + "\n");
    write(src, "package.json", "{\"name\": \"greedy\", \"version\": \"1.0.0\","
        + " \"scripts\": {\"build\": \"sh build.sh\"}}");
  }

  private static List<Path> mountedUnder(Path root) throws IOException {
    List<Path> points = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      Path point = Path.of(line.split(" ")[4]);
      if (point.startsWith(root) && !point.equals(root)) points.add(point);
    }
    return points;
  }

}
