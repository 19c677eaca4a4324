package dev.pier.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.release.Release;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file of a release's slug is its maintenance page. */
class MaintenancePagesTest {
  @TempDir Path tmp;

  private Release release(Map<String, String> files, Map<String, String> processes) throws Exception {
    Path slug = Files.createTempFile(tmp, "slug", ".tar.gz");
    try (OutputStream out = Files.newOutputStream(slug);
        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (var e : files.entrySet()) {
        byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
    return new Release("hello", 1, slug, "Deploy", "admin", Instant.EPOCH, Map.of(), Map.of(), processes,
        false, null, null);
  }

  private static final Map<String, String> WEB = Map.of("web", "node server.js");

  @Test
  void anAppsPageIsMaintenanceHtmlAtTheSlugRoot() throws Exception {
    Release r = release(Map.of("./server.js", "x", "./maintenance.html", "<p>soon</p>",
        "./public/maintenance.html", "<p>not this one</p>"), WEB);

    assertThat(MaintenancePages.read(r)).contains("<p>soon</p>");
  }

  @Test
  void aStaticSitesPageIsMaintenanceHtmlInItsPublishedFiles() throws Exception {
    Release r = release(Map.of("pier-static.json", "{}", "site/maintenance.html", "<p>static soon</p>"), Map.of());

    assertThat(MaintenancePages.read(r)).contains("<p>static soon</p>");
  }

  @Test
  void noPageOrATooLargeOneLeavesTheBuiltInPage() throws Exception {
    assertThat(MaintenancePages.read(release(Map.of("./server.js", "x"), WEB))).isEmpty();
    String huge = "x".repeat(MaintenancePages.MAX_PAGE_BYTES + 1);
    assertThat(MaintenancePages.read(release(Map.of("./maintenance.html", huge), WEB))).isEmpty();
  }
}
