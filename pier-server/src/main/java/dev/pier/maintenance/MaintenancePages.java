package dev.pier.maintenance;

import dev.pier.app.App;
import dev.pier.app.AppStore;
import dev.pier.model.Maintenance;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance answers of the apps in maintenance mode. An app's page is the regular file
 * {@value #PAGE_FILE} at the root of its current release's slug (its source tree's root, as
 * built; for a static site, whose slug holds only its published files, {@code site/}{@value
 * #PAGE_FILE}), at most {@value #MAX_PAGE_BYTES} bytes, served as UTF-8 HTML; without one (or a
 * larger one) the built-in page. Pages are read once per release and kept.
 *
 * <p>Thread-safe.
 */
public final class MaintenancePages {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenancePages.class);

  /** The file an app ships to set its own maintenance page. */
  public static final String PAGE_FILE = "maintenance.html";

  /** The largest own page served; a larger one is ignored (logged) for the built-in page. */
  public static final int MAX_PAGE_BYTES = 256 * 1024;

  private final AppStore store;
  private final ReleaseStore releases;
  /** "app/version" to the release's own page, or empty when it has none. */
  private final Map<String, Optional<String>> pages = new ConcurrentHashMap<>();

  public MaintenancePages(AppStore store, ReleaseStore releases) {
    this.store = store;
    this.releases = releases;
  }

  /** The maintenance answer of each of {@code apps} that is in maintenance mode, by app name. */
  public Map<String, Maintenance> of(List<App> apps) {
    Set<String> down = store.inMaintenance();
    Map<String, Maintenance> result = new HashMap<>();
    for (App app : apps) {
      String name = app.name().value();
      if (!down.contains(name)) continue;
      Optional<String> own = app.hasRelease() ? ownPage(app) : Optional.empty();
      result.put(name, own.map(p -> new Maintenance(p, Maintenance.DEFAULT_RETRY_AFTER_SECONDS))
          .orElseGet(() -> Maintenance.builtIn(name)));
    }
    pages.keySet().removeIf(k -> !down.contains(k.substring(0, k.indexOf('/'))));
    return result;
  }

  private Optional<String> ownPage(App app) {
    String key = app.name().value() + "/" + app.currentRelease();
    return pages.computeIfAbsent(key, k -> releases.find(app.name(), app.currentRelease())
        .flatMap(MaintenancePages::read));
  }

  /** The slug's own page, if it has one of an allowed size. */
  static Optional<String> read(Release release) {
    String wanted = release.processes().isEmpty()
        ? dev.pier.build.staticsite.StaticSlug.SITE_DIR + "/" + PAGE_FILE : PAGE_FILE;
    try (InputStream in = Files.newInputStream(release.slug());
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        if (!name.equals(wanted)) continue;
        if (!e.isFile() || e.isSymbolicLink() || e.isLink()) return Optional.empty();
        if (e.getSize() > MAX_PAGE_BYTES) {
          LOG.warn("{} v{}: {} is larger than {} bytes; the built-in maintenance page is served",
              release.app(), release.version(), PAGE_FILE, MAX_PAGE_BYTES);
          return Optional.empty();
        }
        return Optional.of(new String(tar.readNBytes(MAX_PAGE_BYTES), StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} v{}: cannot read {} from the slug", release.app(), release.version(), PAGE_FILE, e);
    }
    return Optional.empty();
  }
}
