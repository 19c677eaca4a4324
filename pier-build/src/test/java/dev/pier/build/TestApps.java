package dev.pier.build;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.model.AppName;
import dev.pier.sandbox.AppUser;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Source trees, requests and slug reading for build tests. */
final class TestApps {
  /** The app uid tests build as when running as root. */
  static final AppUser USER = new AppUser(61101, 61101);

  private TestApps() {}

  /** Skips the test unless bwrap and setpriv are present. */
  static void assumeSandboxAvailable() {
    assumeTrue(Sandbox.missingTools() == null, "sandbox tools missing: " + Sandbox.missingTools());
  }

  /**
   * A request building {@code tmp/src} with cache {@code tmp/cache}; makes {@code tmp} searchable
   * so the app user can reach it (JUnit creates temp dirs as 0700).
   */
  static BuildRequest request(Path tmp, Map<String, String> configVars) throws IOException {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    Path src = Files.createDirectories(tmp.resolve("src"));
    return new BuildRequest(
        AppName.of("test-app"),
        src,
        tmp.resolve("cache"),
        tmp.resolve("slugs/test-app.tar.gz"),
        configVars,
        Sandbox.runningAsRoot() ? USER : null);
  }

  static void write(Path dir, String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** Entry name to entry, in archive order. */
  static Map<String, TarArchiveEntry> slugEntries(Path slug) throws IOException {
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(slug);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.put(e.getName(), e);
      }
    }
    return entries;
  }

  /** The content of one slug entry as text, or null when absent. */
  static String slugText(Path slug, String name) throws IOException {
    try (InputStream in = Files.newInputStream(slug);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().equals(name)) return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
