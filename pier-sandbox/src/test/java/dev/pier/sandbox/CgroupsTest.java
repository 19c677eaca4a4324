package dev.pier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs against fake cgroup trees in a temp directory. */
class CgroupsTest {
  @TempDir Path root;

  @Test
  void v2HostGetsLimitsAndAccountingInOneDirectory() throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
    Cgroups cgroups = Cgroups.detect(root, "pier");
    assertThat(cgroups.version()).isEqualTo(Cgroups.Version.V2);

    Cgroup cgroup = cgroups.create("hello.web.1", 64L << 20, 512);

    Path dir = root.resolve("pier/hello.web.1");
    assertThat(dir.resolve("memory.max")).hasContent(Long.toString(64L << 20));
    assertThat(dir.resolve("pids.max")).doesNotExist(); // only written where the kernel offers it
    assertThat(cgroup.procsFiles()).containsExactly(dir.resolve("cgroup.procs"));
    Files.writeString(dir.resolve("memory.stat"), "anon 4096\nfile 8192\n");
    Files.writeString(dir.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\n");
    Files.writeString(dir.resolve("memory.events"), "low 0\noom 1\noom_kill 1\n");
    assertThat(cgroup.rssBytes()).isEqualTo(4096);
    assertThat(cgroup.cpuNanos()).isEqualTo(1_500_000);
    assertThat(cgroup.oomKills()).isEqualTo(1);
  }

  @Test
  void v1HostUsesOneDirectoryPerController() throws Exception {
    for (String controller : CgroupV1.CONTROLLERS) {
      Files.createDirectories(root.resolve(controller));
    }
    Files.writeString(root.resolve("memory/cgroup.procs"), "");
    Cgroups cgroups = Cgroups.detect(root, "pier");
    assertThat(cgroups.version()).isEqualTo(Cgroups.Version.V1);

    Cgroup cgroup = cgroups.create("hello.web.1", 64L << 20, 512);

    assertThat(root.resolve("memory/pier/hello.web.1/memory.limit_in_bytes"))
        .hasContent(Long.toString(64L << 20));
    assertThat(root.resolve("pids/pier/hello.web.1/pids.max")).hasContent("512");
    assertThat(cgroup.procsFiles()).hasSize(5);
    Files.writeString(root.resolve("memory/pier/hello.web.1/memory.stat"), "rss 100\ntotal_rss 300\n");
    Files.writeString(root.resolve("cpuacct/pier/hello.web.1/cpuacct.usage"), "12345\n");
    assertThat(cgroup.rssBytes()).isEqualTo(300);
    assertThat(cgroup.cpuNanos()).isEqualTo(12345);
  }

  @Test
  void cpuLimitAndPidsLimitHitsOnBothLayouts() throws Exception {
    Path v1 = Files.createDirectories(root.resolve("v1"));
    for (String controller : CgroupV1.CONTROLLERS) Files.createDirectories(v1.resolve(controller));
    Files.writeString(v1.resolve("memory/cgroup.procs"), "");
    Files.createDirectories(v1.resolve("cpu/pier/build-a-1"));
    Files.writeString(v1.resolve("cpu/pier/build-a-1/cpu.cfs_quota_us"), "-1");
    Cgroup one = Cgroups.detect(v1, "pier").create("build-a-1", new CgroupLimits(64L << 20, 100, 1500));
    assertThat(v1.resolve("cpu/pier/build-a-1/cpu.cfs_quota_us")).hasContent("150000");
    assertThat(v1.resolve("cpu/pier/build-a-1/cpu.cfs_period_us")).hasContent("100000");
    Files.writeString(v1.resolve("pids/pier/build-a-1/pids.events"), "max 7\n");
    assertThat(one.pidsLimitHits()).isEqualTo(7);

    Path v2 = Files.createDirectories(root.resolve("v2"));
    Files.writeString(v2.resolve("cgroup.controllers"), "cpu memory pids\n");
    Files.createDirectories(v2.resolve("pier/build-a-1"));
    Files.writeString(v2.resolve("pier/build-a-1/cpu.max"), "max 100000");
    Cgroup two = Cgroups.detect(v2, "pier").create("build-a-1", new CgroupLimits(64L << 20, 100, 500));
    assertThat(v2.resolve("pier/build-a-1/cpu.max")).hasContent("50000 100000");
    Files.writeString(v2.resolve("pier/build-a-1/pids.events"), "max 3\n");
    assertThat(two.pidsLimitHits()).isEqualTo(3);
  }

  @Test
  void hostWithoutCgroupsDegradesToNoLimits() throws Exception {
    Cgroups cgroups = Cgroups.detect(root, "pier");

    assertThat(cgroups.version()).isEqualTo(Cgroups.Version.NONE);
    assertThat(cgroups.create("hello.web.1", 64L << 20, 512)).isNull();
  }
}
