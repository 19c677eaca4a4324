package dev.pier.statics;

import dev.pier.build.AppServing;
import dev.pier.build.HandlerFiles;
import dev.pier.model.StaticHandler;
import dev.pier.model.StaticHandlers;
import dev.pier.router.statics.SiteFiles;
import dev.pier.store.DataDirs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The files app.yaml static handlers of a release served by instances may serve: the slug's
 * regular files under a {@code static_dir} or matching an {@code upload}, unpacked by their
 * app-relative paths into the version's directory (the one a static site would use), files
 * 0444, through a staging directory renamed into place. Symlinks, links, names with {@code ..}
 * and names with a segment starting with a dot ({@code .env}, {@code .git}) are left out, so nothing outside the handlers' files can be reached from that directory.
 */
final class HandlerSites {
  private HandlerSites() {}

  /**
   * The handlers of {@code serving} with their files unpacked from {@code slug} to {@code
   * target} (once: an existing {@code target} is reused); null when it has no static handler.
   */
  static StaticHandlers unpack(Path slug, AppServing serving, Path target) throws IOException {
    if (!serving.hasStaticHandlers()) return null;
    List<StaticHandler> handlers = serving.handlers();
    if (!Files.isDirectory(target)) {
      Files.createDirectories(target.getParent());
      Path staging = target.resolveSibling(".unpack-" + UUID.randomUUID());
      try {
        extract(slug, handlers, staging);
        Files.move(staging, target);
        SiteFiles.evict(target); // files once at this path (an app of the same name) are gone
      } finally {
        if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) DataDirs.deleteTree(staging);
      }
    }
    return new StaticHandlers(target, handlers);
  }

  private static void extract(Path slug, List<StaticHandler> handlers, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> dirs = new ArrayList<>();
    dirs.add(dir);
    try (InputStream in = Files.newInputStream(slug);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        if (!regularFile(e) || !StaticHandlers.confined(name) || hidden(name)
            || !HandlerFiles.servable(handlers, name)) {
          continue;
        }
        Path to = dir.resolve(name).normalize();
        if (!to.startsWith(dir)) continue;
        Path parent = to.getParent();
        if (!Files.isDirectory(parent)) {
          Files.createDirectories(parent);
          for (Path p = parent; !p.equals(dir); p = p.getParent()) dirs.add(p);
        }
        Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(to, FileTime.from(e.getModTime().toInstant()));
        DataDirs.chmod(to, "r--r--r--");
      }
    }
    for (Path d : dirs) DataDirs.chmod(d, "rwxr-xr-x");
  }

  /** True for a name with a segment starting with a dot: never served (App Engine's default skip_files). */
  private static boolean hidden(String name) {
    return name.startsWith(".") || name.contains("/.");
  }

  private static boolean regularFile(TarArchiveEntry e) {
    return e.isFile() && !e.isSymbolicLink() && !e.isLink() && !e.isCharacterDevice()
        && !e.isBlockDevice() && !e.isFIFO();
  }
}
