package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTreeTest {
  @TempDir Path tmp;

  @Test
  void extractsFilesDirectoriesExecBitsAndInnerLinks() throws Exception {
    Path root = tmp.resolve("src");
    new SourceTree(root).extractTarGz(tar(
        file("bin/run", "#!/bin/sh\n", 0755), file("lib/a.txt", "a", 0644), link("lib/b.txt", "a.txt")),
        1 << 20);
    assertThat(Files.isExecutable(root.resolve("bin/run"))).isTrue();
    assertThat(Files.isExecutable(root.resolve("lib/a.txt"))).isFalse();
    assertThat(Files.readString(root.resolve("lib/b.txt"))).isEqualTo("a");
  }

  @Test
  void refusesDotDotAbsolutePathsAndEscapingLinks() {
    Path root = tmp.resolve("src");
    assertRefused(root, "'..'", file("a/../../x", "x", 0644));
    assertRefused(root, "absolute", file("/etc/x", "x", 0644));
    assertRefused(root, "outside", link("l", "../../etc/passwd"));
    assertRefused(root, "absolute path", link("l", "/etc/passwd"));
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  @Test
  void refusesWritingThroughAPreviouslyExtractedLink() {
    Path root = tmp.resolve("src");
    assertRefused(root, "symbolic link", link("dir", "."), file("dir/x", "x", 0644));
  }

  @Test
  void aChainOfLinksThatLeadsOutsideIsRefusedAndNothingIsWrittenWhereItPoints() throws Exception {
    Path root = tmp.resolve("a").resolve("b").resolve("src");
    // Each link looks inside the tree on paper; followed by the kernel, e points three levels up.
    assertRefused(root, "leads outside the directory through other links", link("u", "."), link("u2", "u/.."),
        link("u3", "u2/.."), link("e", "u3/../PWNED"), file("e", "owned", 0644));

    assertThat(tmp.resolve("PWNED")).doesNotExist();
    assertThat(tmp.resolve("a").resolve("PWNED")).doesNotExist();
  }

  @Test
  void linksToEachOtherInsideTheTreeAreKept() throws Exception {
    Path root = tmp.resolve("src");
    new SourceTree(root).extractTarGz(tar(file("lib/a.txt", "a", 0644), link("cur", "lib"),
        link("b.txt", "cur/a.txt"), link("dangling", "nothing-yet")), 1 << 20);

    assertThat(Files.readString(root.resolve("b.txt"))).isEqualTo("a");
    assertThat(Files.isSymbolicLink(root.resolve("dangling"))).isTrue();
  }

  @Test
  void refusesUploadsOverTheLimitWithTooLarge() {
    Path root = tmp.resolve("src");
    assertThatThrownBy(() -> new SourceTree(root).extractTarGz(tar(file("big", "x".repeat(5000), 0644)), 1000))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TOO_LARGE));
  }

  @Test
  void refusesSomethingThatIsNotGzip() {
    assertThatThrownBy(() -> new SourceTree(tmp).extractTarGz(new ByteArrayInputStream("hello".getBytes()), 1000))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("gzip");
  }

  @Test
  void fifosAndDevicesAreRefusedWith422NamingTheEntryInsteadOfBecomingEmptyFiles() {
    Path root = tmp.resolve("src");
    assertUnsupported(root, "'run/pipe': a FIFO", file("a.txt", "a", 0644), special("run/pipe", TarArchiveEntry.LF_FIFO));
    assertUnsupported(root, "'dev/null': a character device", special("dev/null", TarArchiveEntry.LF_CHR));
    assertUnsupported(root, "'dev/sda': a block device", special("dev/sda", TarArchiveEntry.LF_BLK));
    assertThat(root.resolve("run/pipe")).doesNotExist();
    assertThat(root.resolve("dev/null")).doesNotExist();
  }

  @Test
  void aHardLinkToAnEarlierFileBecomesACopyOfIt() throws Exception {
    Path root = tmp.resolve("src");
    new SourceTree(root).extractTarGz(tar(file("bin/run", "#!/bin/sh\necho hi\n", 0755), hardLink("bin/again", "bin/run")),
        1 << 20);
    assertThat(Files.readString(root.resolve("bin/again"))).isEqualTo("#!/bin/sh\necho hi\n");
    assertThat(Files.isExecutable(root.resolve("bin/again"))).isTrue();
    assertThat(Files.isSameFile(root.resolve("bin/again"), root.resolve("bin/run"))).isFalse();
  }

  @Test
  void aHardLinkToAnythingButAnEarlierFileIsRefused() {
    Path root = tmp.resolve("src");
    assertUnsupported(root, "'early': hard link to 'later.txt', which is not a file earlier in the upload",
        hardLink("early", "later.txt"), file("later.txt", "x", 0644));
    assertUnsupported(root, "hard link to 'dir'", dir("dir/"), hardLink("l", "dir"));
    assertRefused(root, "'..'", hardLink("l", "../../etc/passwd"));
  }

  @Test
  void anEmptyUploadSaysSo() {
    assertThatThrownBy(() -> new SourceTree(tmp.resolve("a")).extractTarGz(new ByteArrayInputStream(new byte[0]), 1000))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.BAD_REQUEST))
        .hasMessageContaining("the upload is empty");
    assertThatThrownBy(() -> new SourceTree(tmp.resolve("b")).extractTarGz(tar(), 1000))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID))
        .hasMessageContaining("the upload is empty");
  }

  private void assertUnsupported(Path root, String message, Object[]... entries) {
    assertThatThrownBy(() -> new SourceTree(root).extractTarGz(tar(entries), 1 << 20))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID))
        .hasMessageContaining(message);
  }

  private static Object[] special(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setMode(0644);
    return new Object[] {e, null};
  }

  private static Object[] hardLink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
    e.setLinkName(target);
    return new Object[] {e, null};
  }

  private static Object[] dir(String name) {
    return new Object[] {new TarArchiveEntry(name, TarArchiveEntry.LF_DIR, true), null};
  }

  private void assertRefused(Path root, String message, Object[]... entries) {
    assertThatThrownBy(() -> new SourceTree(root).extractTarGz(tar(entries), 1 << 20))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.BAD_REQUEST))
        .hasMessageContaining(message);
  }

  private static Object[] file(String name, String content, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    e.setSize(bytes.length);
    e.setMode(mode);
    return new Object[] {e, bytes};
  }

  private static Object[] link(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
    e.setLinkName(target);
    return new Object[] {e, null};
  }

  private static ByteArrayInputStream tar(Object[]... entries) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Object[] e : entries) {
        out.putArchiveEntry((TarArchiveEntry) e[0]);
        if (e[1] != null) out.write((byte[]) e[1]);
        out.closeArchiveEntry();
      }
    }
    return new ByteArrayInputStream(bytes.toByteArray());
  }
}
