package dev.pier.build.nodejs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Node.js releases downloaded once for every app: {@code DIR/VERSION} holds a release's npm
 * package contents ({@code bin/node}, {@code include/node}, ...). A release appears there
 * complete or not at all: it is downloaded and unpacked into a temporary directory beside it,
 * checked, and renamed into place, so two builds that want the same release at once both end up
 * with one good copy (in one server, the second waits for the first's download and uses it). Only regular files and directories are unpacked, and only inside the
 * package: no links, no absolute paths, no {@code ..}.
 */
public final class NodeCache {
  private static final String TEMP_PREFIX = ".tmp-";
  /** Longer than any download may take ({@code NodejsBuildpack.DOWNLOAD_LIMIT}). */
  static final Duration STALE = Duration.ofHours(1);
  private final Path dir;
  /** One download per version at a time in this server; the rename guards against the rest. */
  private final java.util.concurrent.ConcurrentMap<String, Object> downloading =
      new java.util.concurrent.ConcurrentHashMap<>();

  public NodeCache(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The directory of a cached release, whether or not it is there. */
  public Path home(String version) {
    return dir.resolve(version);
  }

  /** True when the release is cached. */
  public boolean has(String version) {
    return Files.isExecutable(home(version).resolve("bin/node"));
  }

  /** The cached releases, in no order. */
  public List<NodeRelease> releases() {
    List<NodeRelease> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) return found;
    try (Stream<Path> entries = Files.list(dir)) {
      entries.map(p -> p.getFileName().toString())
          .filter(name -> NodeRelease.parse(name).isPresent() && has(name))
          .forEach(name -> found.add(NodeRelease.cached(name)));
    } catch (IOException e) {
      return found;
    }
    return found;
  }

  /**
   * Makes sure {@code release} is cached, downloading it from {@code registry} within {@code
   * limit} when it is not; returns its directory.
   *
   * @throws IOException when it cannot be downloaded or unpacked; nothing is cached then
   * @throws IntegrityException when the download does not match the registry's sha512
   */
  public Path install(NodeRelease release, NodeRegistry registry, Duration limit) throws IOException {
    if (has(release.version())) return home(release.version());
    synchronized (downloading.computeIfAbsent(release.version(), v -> new Object())) {
      return download(release, registry, limit);
    }
  }

  private Path download(NodeRelease release, NodeRegistry registry, Duration limit) throws IOException {
    Path home = home(release.version());
    if (has(release.version())) return home;
    Files.createDirectories(dir);
    // Build steps and instances bind DIR/VERSION as the app's uid: it must be able to get there.
    Path runtimes = dir.getParent();
    if (runtimes != null) {
      var perms = java.util.EnumSet.copyOf(Files.getPosixFilePermissions(runtimes));
      if (perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) Files.setPosixFilePermissions(runtimes, perms);
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    sweep();
    String id = TEMP_PREFIX + release.version() + "-" + UUID.randomUUID();
    Path tarball = dir.resolve(id + ".tgz");
    Path unpacked = dir.resolve(id);
    try {
      registry.download(release, tarball, limit);
      verify(tarball, release);
      Files.createDirectory(unpacked);
      unpack(tarball, unpacked);
      if (!Files.isRegularFile(unpacked.resolve("bin/node"), LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("the package of Node.js " + release.version() + " has no bin/node");
      }
      try {
        Files.move(unpacked, home, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename into " + dir + ": " + e.getMessage(), e);
      } catch (java.nio.file.FileSystemException raced) {
        // Another build cached it first (the rename found VERSION there): theirs is as good.
        if (!has(release.version())) throw raced;
      }
      if (!has(release.version())) throw new IOException("Node.js " + release.version() + " is not complete in " + home);
      return home;
    } finally {
      Files.deleteIfExists(tarball);
      deleteTree(unpacked);
    }
  }

  /**
   * Deletes what downloads cut off by a killed server left: temporary entries older than {@link
   * #STALE} (a download still under way is younger). Never a release: releases of apps mount them
   * ({@code NodeMount}), and nothing tells which ones no kept release uses any more.
   */
  void sweep() throws IOException {
    long cutoff = System.currentTimeMillis() - STALE.toMillis();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList()) {
        if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() < cutoff) {
          if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) deleteTree(p); else Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The download does not match the registry's checksum. */
  public static final class IntegrityException extends IOException {
    IntegrityException(String message) {
      super(message);
    }
  }

  static void verify(Path tarball, NodeRelease release) throws IOException {
    String expected = release.integrity().substring("sha512-".length()).strip();
    MessageDigest sha512;
    try {
      sha512 = MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(tarball), sha512)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    String actual = Base64.getEncoder().encodeToString(sha512.digest());
    if (!actual.equals(expected)) {
      throw new IntegrityException("the download of Node.js " + release.version()
          + " does not match the registry's sha512 (expected sha512-" + expected + ", got sha512-"
          + actual + "): refused");
    }
  }

  /** Unpacks the regular files and directories under {@code package/} into {@code into}. */
  static void unpack(Path tarball, Path into) throws IOException {
    try (InputStream file = new BufferedInputStream(Files.newInputStream(tarball));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = inside(into, entry.getName());
        if (target == null) continue;
        // Checked first: commons-compress counts a link as a file too.
        if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice()
            || entry.isBlockDevice() || entry.isFIFO()) {
          continue;
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target);
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
  }

  /**
   * Where an entry {@code package/REST} goes under {@code into}; null for entries outside {@code
   * package/}, absolute ones and any with {@code ..}.
   */
  static Path inside(Path into, String name) throws IOException {
    String n = name.startsWith("./") ? name.substring(2) : name;
    if (!n.startsWith("package/")) return null;
    String rest = n.substring("package/".length());
    if (rest.isEmpty()) return null;
    for (String part : rest.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        throw new IOException("refusing tar entry " + name + ": it leaves the package");
      }
    }
    Path target = into.resolve(rest).normalize();
    if (!target.startsWith(into) || target.equals(into)) {
      throw new IOException("refusing tar entry " + name + ": it leaves the package");
    }
    return target;
  }

  /** Deletes a directory tree without following links. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
