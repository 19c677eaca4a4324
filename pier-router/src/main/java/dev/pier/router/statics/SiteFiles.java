package dev.pier.router.statics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the files of one static site's root. A release's files never change once extracted, so
 * what a path resolves to (the file, its size and time, its precompressed variants) is looked up
 * on disk once and then kept (up to {@link #MAX_PATHS} paths per site).
 *
 * <p>Confinement: a path resolves only to a regular file whose real path (symlinks followed) is
 * inside the root's real path; segments starting with a dot ({@code .git}, {@code .pier}) are
 * never served. The caller passes a decoded path with no {@code .} or {@code ..} segment.
 *
 * <p>Thread-safe.
 */
public final class SiteFiles {
  static final int MAX_PATHS = 10_000;
  private static final int MAX_SITES = 256;
  private static final Map<Path, SiteFiles> SITES = new ConcurrentHashMap<>();

  /** What a path names. */
  public sealed interface Lookup {}

  /** Nothing servable: missing, outside the root, hidden, or not a regular file or directory. */
  public record Missing() implements Lookup {}

  /** A directory: its index.html is served under the path with a trailing slash. */
  public record Directory() implements Lookup {}

  /**
   * A regular file and its precompressed variants.
   *
   * @param name the path as asked for (for its type)
   * @param lastModified modification time in milliseconds
   * @param identity the file itself
   * @param gzip {@code NAME.gz} beside it, or null
   * @param brotli {@code NAME.br} beside it, or null
   */
  public record File(String name, long lastModified, Variant identity, Variant gzip, Variant brotli)
      implements Lookup {}

  /**
   * One encoding of a file.
   *
   * @param encoding the Content-Encoding ({@code gzip}, {@code br}), or null for the file itself
   */
  public record Variant(Path path, long size, String etag, String encoding) {}

  private static final Missing MISSING = new Missing();
  private static final Directory DIRECTORY = new Directory();

  private final Path root;
  private final Map<String, Lookup> known = new ConcurrentHashMap<>();

  private SiteFiles(Path root) {
    this.root = root;
  }

  /** The (shared) files of the site at {@code root}. */
  public static SiteFiles of(Path root) {
    SiteFiles files = SITES.get(root);
    if (files != null) return files;
    if (SITES.size() >= MAX_SITES) SITES.clear(); // old releases' sites: found again if still used
    return SITES.computeIfAbsent(root, r -> new SiteFiles(realPath(r)));
  }

  /**
   * Forgets what is known of the sites at or under {@code dir} (a site root, or an app's folder of
   * them). Call it when such a directory is deleted or created anew: a later site at the same
   * path (a new app of a deleted one's name, say) must not get the old files' sizes and ETags.
   */
  public static void evict(Path dir) {
    Path gone = dir.toAbsolutePath().normalize();
    SITES.keySet().removeIf(root -> root.toAbsolutePath().normalize().startsWith(gone));
  }

  private static Path realPath(Path root) {
    try {
      return root.toRealPath();
    } catch (IOException e) {
      return root.toAbsolutePath().normalize();
    }
  }

  /**
   * What {@code relative} (a decoded path below the root without a leading slash, {@code ""} for
   * the root itself) names.
   */
  public Lookup lookup(String relative) {
    Lookup hit = known.get(relative);
    if (hit != null) return hit;
    Lookup found = find(relative);
    // Only names that exist are kept: any client can ask for endless missing ones.
    if (found != MISSING && relative.length() <= 1024 && known.size() < MAX_PATHS) known.put(relative, found);
    return found;
  }

  private Lookup find(String relative) {
    for (String segment : relative.split("/")) {
      if (segment.startsWith(".") || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
        return MISSING;
      }
    }
    try {
      Path real = root.resolve(relative).toRealPath();
      if (!real.startsWith(root)) return MISSING;
      BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
      if (attrs.isDirectory()) return DIRECTORY;
      if (!attrs.isRegularFile()) return MISSING;
      long modified = attrs.lastModifiedTime().toMillis();
      return new File(relative, modified, variant(real, attrs, null),
          sibling(real, ".gz", "gzip"), sibling(real, ".br", "br"));
    } catch (IOException | RuntimeException e) {
      return MISSING;
    }
  }

  private Variant sibling(Path real, String suffix, String encoding) throws IOException {
    Path path = real.resolveSibling(real.getFileName() + suffix);
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) return null;
    return variant(path, Files.readAttributes(path, BasicFileAttributes.class), encoding);
  }

  private static Variant variant(Path path, BasicFileAttributes attrs, String encoding) {
    long size = attrs.size();
    String etag = "\"" + Long.toHexString(size) + "-"
        + Long.toHexString(attrs.lastModifiedTime().toMillis())
        + (encoding == null ? "" : "-" + encoding) + "\"";
    return new Variant(path, size, etag, encoding);
  }
}
