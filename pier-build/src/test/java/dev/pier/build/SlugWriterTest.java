package dev.pier.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlugWriterTest {
  @TempDir Path tmp;

  @Test
  void slugKeepsExecBitsSymlinksAndLongNamesAndDropsGit() throws IOException {
    Path app = Files.createDirectories(tmp.resolve("app"));
    TestApps.write(app, "server.js", "console.log('hi')\n");
    TestApps.write(app, "bin/run", "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(app.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(app.resolve("start"), Path.of("bin/run"));
    Files.createSymbolicLink(app.resolve("outside"), Path.of("/etc"));
    String longName = "node_modules/" + "a".repeat(80) + "/" + "b".repeat(90) + "/index.js";
    TestApps.write(app, longName, "module.exports = 1\n");
    TestApps.write(app, ".git/HEAD", "ref: refs/heads/main\n");
    TestApps.write(app, ".gitignore", "node_modules\n");
    Path slug = tmp.resolve("out/app.tar.gz");

    long size = SlugWriter.write(app, slug);

    assertThat(size).isEqualTo(Files.size(slug)).isPositive();
    Map<String, TarArchiveEntry> entries = TestApps.slugEntries(slug);
    assertThat(entries).containsKeys("server.js", "bin/", "bin/run", "start", longName, ".gitignore");
    assertThat(entries.keySet()).noneMatch(name -> name.startsWith(".git/"));
    assertThat(entries.get("bin/run").getMode() & 0777).isEqualTo(0755);
    assertThat(entries.get("server.js").getMode() & 0111).isZero();
    assertThat(entries.get("start").isSymbolicLink()).isTrue();
    assertThat(entries.get("start").getLinkName()).isEqualTo("bin/run");
    assertThat(entries.get("outside").isSymbolicLink()).isTrue();
    assertThat(TestApps.slugText(slug, longName)).isEqualTo("module.exports = 1\n");
    assertThat(Files.exists(tmp.resolve("out/app.tar.gz.partial"))).isFalse();
  }

  @Test
  void aBigFileCompressedFastAndTheSmallFilesAroundItComeBackIntact() throws IOException {
    Path app = Files.createDirectories(tmp.resolve("app"));
    TestApps.write(app, "a-before.txt", "before\n".repeat(1000));
    byte[] big = new byte[(int) SlugWriter.BIG_FILE + 12345];
    new java.util.Random(7).nextBytes(big);
    for (int i = 0; i < big.length; i += 3) big[i] = 'x'; // partly compressible, like a binary
    Files.write(app.resolve("b-big.bin"), big);
    TestApps.write(app, "c-after.txt", "after\n".repeat(1000));
    Path slug = tmp.resolve("out/app.tar.gz");

    SlugWriter.write(app, slug);

    assertThat(TestApps.slugText(slug, "a-before.txt")).isEqualTo("before\n".repeat(1000));
    assertThat(TestApps.slugText(slug, "c-after.txt")).isEqualTo("after\n".repeat(1000));
    try (var in = Files.newInputStream(slug);
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
            new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().equals("b-big.bin")) assertThat(tar.readAllBytes()).isEqualTo(big);
      }
    }
    assertThat(Files.size(slug)).isLessThan(big.length);
  }

  @Test
  void slugSizeIsPrintedLikeHeroku() {
    assertThat(BuildResult.Succeeded.humanSize(900)).isEqualTo("900B");
    assertThat(BuildResult.Succeeded.humanSize(1_258_291)).isEqualTo("1.2M");
  }
}
