package dev.pier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.testkit.HostDisks;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real loop-mounted ext4 images (needs root, mkfs.ext4 and loop devices). */
@Timeout(60)
class LoopDisksTest {
  private static final long MB = 1 << 20;

  @TempDir Path tmp;
  private final Disks disks = Disks.loop();

  @BeforeEach
  void needsLoopDisks() {
    assumeTrue(LoopDisks.missing() == null, "loop disks unavailable: " + LoopDisks.missing());
  }

  @AfterEach
  void leaveNothingMounted() {
    disks.reapLeftovers(tmp);
  }

  @Test
  void writingTwiceTheSizeStopsWithNoSpaceLeftAtAboutTheSizeAndTheHostKeepsTheRest()
      throws IOException, InterruptedException {
    Disk disk = disks.create(tmp.resolve("app"), 32 * MB);

    long written = fill(disk.dir().resolve("fill"), 64 * MB);

    assertThat(written).isBetween(28 * MB, 32 * MB);
    assertThat(disk.full()).isTrue();
    assertThat(HostDisks.allocatedBytes(tmp.resolve("app.img"))).isLessThanOrEqualTo(32 * MB);
    assertThat(HostDisks.allocatedBytes(tmp)).as("host blocks under the folder").isLessThanOrEqualTo(33 * MB);
    disk.close();
  }

  @Test
  void aFreshDiskIsEmptyAndClosingItUnmountsAndDeletesIt() throws IOException, InterruptedException {
    Disk disk = disks.create(tmp.resolve("app"), 16 * MB);
    try (var entries = Files.list(disk.dir())) {
      assertThat(entries).isEmpty();
    }
    Files.writeString(disk.dir().resolve("hello"), "hi");
    assertThat(DiskProbe.mountedUnder(tmp)).containsExactly(tmp.resolve("app"));

    disk.close();

    assertThat(DiskProbe.mountedUnder(tmp)).isEmpty();
    assertThat(tmp.resolve("app.img")).doesNotExist();
    assertThat(tmp.resolve("app/hello")).doesNotExist();
    HostDisks.awaitNoLoopDeviceUnder(tmp);
  }

  @Test
  void anOpenedDiskKeepsItsFilesForTheNextOpen() throws IOException, InterruptedException {
    Disk first = disks.open(tmp.resolve("cache"), 16 * MB);
    Files.writeString(first.dir().resolve("kept"), "yes");
    first.close();
    assertThat(DiskProbe.mountedUnder(tmp)).isEmpty();
    assertThat(tmp.resolve("cache.img")).exists();

    Disk second = disks.open(tmp.resolve("cache"), 16 * MB);

    assertThat(second.dir().resolve("kept")).hasContent("yes");
    second.close();
  }

  @Test
  void disksLeftMountedByADeadServerAreUnmountedAndDetachedByReap() throws IOException, InterruptedException {
    disks.create(tmp.resolve("a/app"), 8 * MB);
    disks.open(tmp.resolve("b/cache"), 8 * MB);
    assertThat(DiskProbe.mountedUnder(tmp)).hasSize(2);

    int reaped = Disks.loop().reapLeftovers(tmp);

    assertThat(reaped).isEqualTo(2);
    assertThat(DiskProbe.mountedUnder(tmp)).isEmpty();
    HostDisks.awaitNoLoopDeviceUnder(tmp);
  }

  @Test
  void reapLeavesTheFolderItselfAndOtherMountsAlone() throws IOException, InterruptedException {
    Disk outside = disks.create(tmp.resolve("outside/app"), 8 * MB);
    Disk inside = disks.create(tmp.resolve("data/run/app"), 8 * MB);

    Disks.loop().reapLeftovers(tmp.resolve("data"));

    assertThat(DiskProbe.mountedUnder(tmp)).containsExactly(tmp.resolve("outside/app"));
    outside.close();
    inside.close();
  }

  @Test
  void aKeptDiskIsNotMountedTwiceWhileInUse() throws IOException, InterruptedException {
    Disk first = disks.open(tmp.resolve("cache"), 8 * MB);

    assertThatThrownBy(() -> disks.open(tmp.resolve("cache"), 8 * MB))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is in use");
    assertThat(DiskProbe.mountedUnder(tmp)).hasSize(1);

    first.close();
    disks.open(tmp.resolve("cache"), 8 * MB).close();
  }

  @Test
  void reapFindsDisksThroughASymbolicLinkToTheFolder() throws IOException, InterruptedException {
    Path real = Files.createDirectories(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    disks.create(link.resolve("run/app"), 8 * MB);

    int reaped = Disks.loop().reapLeftovers(link);

    assertThat(reaped).isEqualTo(1);
    assertThat(DiskProbe.mountedUnder(tmp)).isEmpty();
  }

  @Test
  void aKeptDataDiskIsJournaledKeepsItsFilesAndIsMountedOnceAfterAKilledRunLeftItMounted() throws Exception {
    Path dir = tmp.resolve("addon");
    Disk first = disks.keep(dir, 16 * MB);
    Files.writeString(first.dir().resolve("kept"), "yes");
    assertThat(dumpe2fs(tmp.resolve("addon.img"))).contains("has_journal");
    first.close();
    // What a server killed with SIGKILL leaves: the image mounted, by no Disk of this process.
    LoopDisks.run("mount", "-t", "ext4", "-o", "loop", tmp.resolve("addon.img").toString(), dir.toString());

    Disk second = disks.keep(dir, 64 * MB);

    assertThat(second.dir().resolve("kept")).hasContent("yes");
    assertThat(DiskProbe.mountedUnder(tmp)).containsExactly(dir);
    assertThat(Files.size(tmp.resolve("addon.img"))).as("a kept image keeps its size").isEqualTo(16 * MB);
    assertThatThrownBy(() -> disks.keep(dir, 16 * MB)).hasMessageContaining("already mounted");
    second.close();

    disks.discard(dir);
    assertThat(DiskProbe.mountedUnder(tmp)).isEmpty();
    assertThat(tmp.resolve("addon.img")).doesNotExist();
    HostDisks.awaitNoLoopDeviceUnder(tmp);
  }

  @Test
  void aKeptImageThatCannotBeMountedIsNeverReplaced() throws IOException {
    Path dir = tmp.resolve("addon");
    Files.writeString(tmp.resolve("addon.img"), "not a filesystem");

    assertThatThrownBy(() -> disks.keep(dir, 16 * MB)).isInstanceOf(IOException.class);

    assertThat(tmp.resolve("addon.img")).hasContent("not a filesystem");
    assertThat(DiskProbe.mountedUnder(tmp)).isEmpty();
  }

  @Test
  void instanceDisksStayWithoutAJournal() throws IOException {
    Disk disk = disks.create(tmp.resolve("app"), 8 * MB);
    assertThat(dumpe2fs(tmp.resolve("app.img"))).doesNotContain("has_journal");
    disk.close();
  }

  private static String dumpe2fs(Path image) throws IOException {
    Process p = new ProcessBuilder("dumpe2fs", "-h", image.toString()).redirectErrorStream(true).start();
    return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void tooSmallADiskIsRefused() {
    assertThatThrownBy(() -> disks.create(tmp.resolve("app"), MB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 4 MB");
  }

  /** Writes up to {@code bytes} of non-zero data; returns how many bytes were written. */
  private static long fill(Path file, long bytes) {
    byte[] chunk = new byte[(int) MB];
    java.util.Arrays.fill(chunk, (byte) 7);
    long written = 0;
    try (OutputStream out = new FileOutputStream(file.toFile())) {
      while (written < bytes) {
        out.write(chunk);
        out.flush();
        written += chunk.length;
      }
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("No space left on device");
    }
    return written;
  }
}
