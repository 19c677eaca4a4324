package dev.pier.statics;

import dev.pier.build.BuildFailure;
import dev.pier.build.staticsite.StaticJson;
import dev.pier.build.staticsite.StaticSlug;
import dev.pier.model.AppName;
import dev.pier.model.StaticSite;
import dev.pier.release.Release;
import dev.pier.router.statics.SiteFiles;
import dev.pier.release.ReleaseStore;
import dev.pier.store.DataDirs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of static releases (those with no process types, built by the static buildpack),
 * unpacked from their slugs to {@code DATA/sites/APP/vN}: only the slug's {@value
 * StaticSlug#SITE_DIR}/ entries that are regular files or directories (symlinks and anything
 * else are left out; names with {@code ..} are refused), with their modification times (so ETags
 * survive a restart), files 0444 (directories 0755, so the server can remove them when not root). Unpacked on first use, into a staging
 * directory renamed into place, so a half-unpacked site is never served.
 *
 * <p>Directories of versions the router no longer serves, and of deleted apps, are removed by
 * {@link #retain}.
 *
 * <p>Thread-safe.
 */
public final class StaticSites {
  private static final Logger LOG = LoggerFactory.getLogger(StaticSites.class);

  private final Path base;
  private final ReleaseStore releases;
  /** "app/version" to the site, or empty for a release served by instances. */
  private final Map<String, Optional<StaticSite>> known = new ConcurrentHashMap<>();

  public StaticSites(DataDirs dirs, ReleaseStore releases) {
    this.base = dirs.root().resolve("sites");
    this.releases = releases;
  }

  /** The directory a static version of {@code app} is served from. */
  public Path dir(AppName app, int version) {
    return base.resolve(app.value()).resolve("v" + version);
  }

  /**
   * The site the router serves for {@code version} of {@code app}, unpacking it on first use;
   * null when that release runs instances (or does not exist, or cannot be unpacked: logged).
   */
  public StaticSite site(AppName app, int version) {
    String key = app.value() + "/" + version;
    Optional<StaticSite> hit = known.get(key);
    if (hit != null && (hit.isEmpty() || Files.isDirectory(hit.get().root()))) return hit.orElse(null);
    Optional<Release> release = releases.find(app, version);
    if (release.isEmpty()) return null;
    if (!release.get().processes().isEmpty()) {
      known.put(key, Optional.empty());
      return null;
    }
    try {
      StaticSite site = unpack(app, release.get());
      known.put(key, Optional.of(site));
      return site;
    } catch (IOException | BuildFailure | RuntimeException e) {
      LOG.error("cannot unpack the static site of {} v{}", app.value(), version, e);
      return null;
    }
  }

  /** "app/version" to the app.yaml handlers of a release served by instances, or empty for none. */
  private final Map<String, Optional<dev.pier.model.StaticHandlers>> handlers = new ConcurrentHashMap<>();

  /**
   * The app.yaml handlers of {@code version} of {@code app} (a release served by instances), with
   * the files of its static handlers unpacked on first use ({@link HandlerSites}); null when it
   * has none (or is a static site, does not exist, or cannot be unpacked: logged).
   */
  public dev.pier.model.StaticHandlers handlers(AppName app, int version) {
    String key = app.value() + "/" + version;
    Optional<dev.pier.model.StaticHandlers> hit = handlers.get(key);
    if (hit != null && (hit.isEmpty() || Files.isDirectory(hit.get().root()))) return hit.orElse(null);
    Optional<Release> release = releases.find(app, version);
    if (release.isEmpty() || release.get().processes().isEmpty()) return null;
    try {
      dev.pier.model.StaticHandlers found = HandlerSites.unpack(release.get().slug(),
          SlugAppYaml.serving(release.get().slug()), dir(app, version));
      if (found != null) DataDirs.chmod(base, "rwx--x--x");
      handlers.put(key, Optional.ofNullable(found));
      return found;
    } catch (IOException | RuntimeException e) {
      LOG.error("cannot unpack the app.yaml handler files of {} v{}", app.value(), version, e);
      return null;
    }
  }

  /**
   * Removes unpacked sites other than {@code versions} of {@code app} (their files stay open for
   * requests being answered), and every site of apps not in {@code apps} when given.
   */
  public void retain(AppName app, Set<Integer> versions) {
    Path appDir = base.resolve(app.value());
    if (!Files.isDirectory(appDir)) return;
    for (Path dir : list(appDir)) {
      String name = dir.getFileName().toString();
      if (name.startsWith("v") && !versions.contains(parse(name.substring(1)))) {
        known.remove(app.value() + "/" + name.substring(1));
        handlers.remove(app.value() + "/" + name.substring(1));
        DataDirs.deleteTree(dir);
        SiteFiles.evict(dir);
      }
    }
  }

  /** Removes the sites of every app not named in {@code apps} (deleted apps). */
  public void retainApps(Collection<String> apps) {
    if (!Files.isDirectory(base)) return;
    for (Path dir : list(base)) {
      String name = dir.getFileName().toString();
      if (!apps.contains(name)) {
        known.keySet().removeIf(k -> k.startsWith(name + "/"));
        handlers.keySet().removeIf(k -> k.startsWith(name + "/"));
        DataDirs.deleteTree(dir);
        SiteFiles.evict(dir);
      }
    }
    known.keySet().removeIf(k -> !apps.contains(k.substring(0, k.indexOf('/'))));
    handlers.keySet().removeIf(k -> !apps.contains(k.substring(0, k.indexOf('/'))));
  }

  private StaticSite unpack(AppName app, Release release) throws IOException, BuildFailure {
    Path target = dir(app, release.version());
    String config = null;
    if (!Files.isDirectory(target)) {
      Files.createDirectories(target.getParent());
      DataDirs.chmod(base, "rwx--x--x");
      Path staging = target.resolveSibling(".unpack-" + UUID.randomUUID());
      try {
        config = extract(release.slug(), staging);
        Files.move(staging, target);
        SiteFiles.evict(target); // a site once at this path (an app of the same name) is gone
      } finally {
        if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) DataDirs.deleteTree(staging);
      }
    } else {
      config = readConfig(release.slug());
    }
    if (config == null) throw new IOException("the slug has no " + StaticSlug.CONFIG_FILE);
    return StaticJson.parse(config).site().withRoot(target);
  }

  /** Writes the slug's site files under {@code dir}; returns the config file's text. */
  private static String extract(Path slug, Path dir) throws IOException {
    Files.createDirectories(dir);
    String prefix = StaticSlug.SITE_DIR + "/";
    String config = null;
    List<Path> dirs = new ArrayList<>();
    dirs.add(dir);
    try (InputStream in = Files.newInputStream(slug);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        if (name.equals(StaticSlug.CONFIG_FILE) && regularFile(e)) {
          config = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
          continue;
        }
        if (!name.startsWith(prefix) || name.length() == prefix.length()) continue;
        Path to = safe(dir, name.substring(prefix.length()));
        if (to == null) continue;
        if (e.isDirectory()) {
          Files.createDirectories(to);
          dirs.add(to);
        } else if (regularFile(e)) {
          Files.createDirectories(to.getParent());
          Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
          Files.setLastModifiedTime(to, FileTime.from(e.getModTime().toInstant()));
          DataDirs.chmod(to, "r--r--r--");
        }
      }
    }
    for (Path d : dirs) DataDirs.chmod(d, "rwxr-xr-x");
    return config;
  }

  /** A plain file entry (commons-compress's isFile() is also true for links). */
  private static boolean regularFile(TarArchiveEntry e) {
    return e.isFile() && !e.isSymbolicLink() && !e.isLink() && !e.isCharacterDevice()
        && !e.isBlockDevice() && !e.isFIFO();
  }

  private static String readConfig(Path slug) throws IOException {
    try (InputStream in = Files.newInputStream(slug);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().equals(StaticSlug.CONFIG_FILE)) return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** {@code dir/relative}, or null when {@code relative} would leave {@code dir}. */
  private static Path safe(Path dir, String relative) {
    if (relative.startsWith("/") || relative.contains("\\")) return null;
    for (String segment : relative.split("/")) {
      if (segment.equals("..")) return null;
    }
    Path to = dir.resolve(relative).normalize();
    return to.startsWith(dir) ? to : null;
  }

  private static List<Path> list(Path dir) {
    try (var s = Files.list(dir)) {
      return s.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int parse(String number) {
    try {
      return Integer.parseInt(number);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
