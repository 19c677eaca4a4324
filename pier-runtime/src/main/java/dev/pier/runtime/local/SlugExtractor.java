package dev.pier.runtime.local;

import dev.pier.runtime.SlugSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a slug ({@code .tar.gz}, entries relative to the app directory, optionally prefixed
 * {@code ./}) into a directory. Keeps permission bits (without setuid/setgid/sticky), symbolic
 * links and hard links. Refuses, with an {@link IOException} naming the entry, absolute entries,
 * entries with {@code ..}, and entries that would be written through a symbolic link: nothing is
 * ever written outside the directory, whatever the links in the slug point to.
 */
final class SlugExtractor {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private SlugExtractor() {}

  static void extract(Path slug, Path dir) throws IOException {
    extract(SlugSource.file(slug), dir);
  }

  /** Unpacks the slug streamed from {@code slug} into {@code dir}. */
  static void extract(SlugSource slug, Path dir) throws IOException {
    Path root = dir.toRealPath();
    Map<Path, Integer> dirModes = new LinkedHashMap<>();
    try (InputStream file = new BufferedInputStream(slug.open());
        TarArchiveInputStream tar =
            new TarArchiveInputStream(new GzipCompressorInputStream(file, true))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        List<String> parts = components(entry.getName());
        if (parts.isEmpty()) continue; // the root directory itself
        Path target = createParents(root, parts, entry.getName());
        if (entry.isDirectory()) {
          if (!Files.isDirectory(target, NOFOLLOW)) {
            Files.deleteIfExists(target);
            Files.createDirectory(target);
          }
          dirModes.put(target, entry.getMode() | 0700);
        } else if (entry.isSymbolicLink()) {
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Path source = inside(root, components(entry.getLinkName()), entry.getLinkName());
          if (!Files.isRegularFile(source, NOFOLLOW)
              || !source.toRealPath().startsWith(root)) {
            throw new IOException("slug entry " + entry.getName() + " links to a missing file");
          }
          Files.deleteIfExists(target);
          Files.createLink(target, source);
        } else if (entry.isFile()) {
          Files.deleteIfExists(target);
          Files.copy(tar, target);
          Files.setPosixFilePermissions(target, permissions(entry.getMode()));
        }
        // Devices, fifos and other special entries are skipped.
      }
    }
    for (Map.Entry<Path, Integer> e : dirModes.entrySet()) {
      Files.setPosixFilePermissions(e.getKey(), permissions(e.getValue()));
    }
  }

  /** Splits an entry name into path components, refusing absolute names and {@code ..}. */
  static List<String> components(String name) throws IOException {
    if (name.startsWith("/")) throw new IOException("slug entry " + name + " is absolute");
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (part.equals("..")) throw new IOException("slug entry " + name + " escapes the app directory");
      parts.add(part);
    }
    return parts;
  }

  /**
   * Creates the missing parent directories of an entry one by one and returns the entry's path,
   * refusing to pass through anything that is not a real directory (such as a symbolic link).
   */
  private static Path createParents(Path root, List<String> parts, String name) throws IOException {
    Path current = root;
    for (int i = 0; i < parts.size() - 1; i++) {
      current = current.resolve(parts.get(i));
      if (Files.isSymbolicLink(current)) {
        throw new IOException("slug entry " + name + " passes through a symbolic link");
      }
      if (!Files.exists(current, NOFOLLOW)) Files.createDirectory(current);
      else if (!Files.isDirectory(current, NOFOLLOW)) {
        throw new IOException("slug entry " + name + " is below a file");
      }
    }
    return current.resolve(parts.get(parts.size() - 1));
  }

  private static Path inside(Path root, List<String> parts, String name) throws IOException {
    if (parts.isEmpty()) throw new IOException("slug link " + name + " points at the app directory");
    Path p = root;
    for (String part : parts) p = p.resolve(part);
    return p;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) perms.add(order[bit]);
    }
    return perms;
  }
}
