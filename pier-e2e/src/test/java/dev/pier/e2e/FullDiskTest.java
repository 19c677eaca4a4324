package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pier on a small data disk (a real tmpfs) that something else fills: changes that would write
 * are refused at once with 507 and the reason, nothing is half created, and everything works
 * again once space is back.
 */
class FullDiskTest {
  @TempDir Path tmp;
  private Path mount;

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) run("umount", "-l", mount.toString());
  }

  @Test
  void aFullDataDiskRefusesWritesWithTheReasonAndNothingIsHalfCreated() throws Exception {
    mount = tmp.resolve("disk");
    Files.createDirectories(mount);
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=400m,mode=0711", "tmpfs", mount.toString()) == 0,
        "cannot mount a tmpfs here");
    long reserve = 150L << 20;
    try (PlatformHarness pier = new PlatformHarness(mount.resolve("root"), s -> s.withDiskReserveBytes(reserve))) {
      pier.login();
      Path app = pier.repo("filler", ConcurrentPushTest.app("one"));
      PlatformHarness.check(pier.cli(app, "apps:create", "before"));
      PlatformHarness.check(pier.git(app, "push", "-q", "pier", "main"));

      Path filler = mount.resolve("filler");
      long free = Files.getFileStore(mount).getUsableSpace();
      write(filler, free - reserve + (20L << 20));
      assertThat(Files.getFileStore(mount).getUsableSpace()).isLessThan(reserve);

      PlatformHarness.Result create = pier.cli(app, "apps:create", "during", "--no-remote");
      System.out.println("full disk, apps:create says: " + create.all().strip());
      assertThat(create.exit()).isNotZero();
      assertThat(create.all()).contains("cannot create an app").contains("MB free").contains("PIER_DISK_RESERVE_MB");
      assertThat(pier.cli(app, "apps").out()).contains("before").doesNotContain("during");
      assertThat(Files.exists(pier.data.resolve("repos").resolve("during.git"))).isFalse();

      PlatformHarness.write(app, ConcurrentPushTest.app("two"));
      pier.commitAll(app, "two");
      PlatformHarness.Result push = pier.git(app, "push", "pier", "main");
      System.out.println("full disk, git push says: " + push.all().strip());
      assertThat(push.exit()).isNotZero();
      assertThat(push.all()).contains("remote error: cannot receive a push: the data disk has only");
      PlatformHarness.Result deploy = pier.cli(app, "deploy", ".", "-a", "before");
      System.out.println("full disk, pier deploy says: " + deploy.all().strip());
      assertThat(deploy.exit()).isNotZero();
      assertThat(deploy.all()).contains("cannot build before").contains("MB free");
      assertThat(pier.get("before", "/").body()).as("the running release keeps serving").contains("code=one");
      PlatformHarness.check(pier.cli(app, "config:set", "STILL=works", "-a", "before"));

      Files.delete(filler);
      PlatformHarness.check(pier.cli(app, "apps:create", "after", "--no-remote"));
      PlatformHarness.check(pier.git(app, "push", "-q", "pier", "main"));
      assertThat(pier.awaitBody("before", "code=two", java.time.Duration.ofSeconds(30))).isTrue();
    }
  }

  @Test
  void aPushLargerThanTheUploadLimitIsRefusedEvenWhenItsPackIsSmall() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp.resolve("limit"), s -> s.withMaxUploadBytes(1L << 20))) {
      pier.login();
      Path app = pier.repo("big", ConcurrentPushTest.app("small"));
      PlatformHarness.check(pier.cli(app, "apps:create", "big"));
      PlatformHarness.check(pier.git(app, "push", "-q", "pier", "main"));
      write(app.resolve("zeros.bin"), 8L << 20); // compresses to a few KB
      PlatformHarness.write(app, ConcurrentPushTest.app("big"));
      pier.commitAll(app, "big file");

      PlatformHarness.Result push = pier.git(app, "push", "pier", "main");

      assertThat(push.exit()).isNotZero();
      assertThat(push.all()).contains("larger than 1 MB unpacked").contains("zeros.bin");
      assertThat(pier.get("big", "/").body()).contains("code=small");
    }
  }

  private static void write(Path file, long bytes) throws IOException {
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= block.length) {
        try {
          out.write(block, 0, (int) Math.min(block.length, left));
        } catch (IOException full) {
          return;
        }
      }
    }
  }

  private static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
