package dev.pier.deploy;

import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Writes untrusted source trees (uploads and pushed commits) into a directory Pier owns, refusing
 * anything that could land outside it: {@code ..} segments, absolute paths, links whose target
 * leaves the tree, FIFOs and device files. The check happens before any byte is written for the
 * entry.
 */
public final class SourceTree {
  private final Path root;

  public SourceTree(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /**
   * Extracts a tar.gz upload. Fails with 400 naming the first unsafe entry (or for a body that is
   * empty or not a tar.gz), 422 for an entry that cannot be part of a source tree (a FIFO, a
   * device, a hard link to something that is not an earlier file of the upload) or an archive
   * without files, 413 when the uncompressed size passes {@code maxBytes}. A hard link to an
   * earlier file becomes a copy of it.
   */
  public void extractTarGz(InputStream in, long maxBytes) throws IOException {
    PushbackInputStream body = new PushbackInputStream(in, 1);
    int first = body.read();
    if (first < 0) {
      throw PlatformException.badRequest("the upload is empty: send the app's directory as a tar.gz (as pier deploy does)");
    }
    body.unread(first);
    Budget budget = new Budget(maxBytes);
    Set<Path> files = new HashSet<>();
    int written = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(body))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        if (entry.isDirectory()) {
          Files.createDirectories(resolve(name));
          continue;
        }
        if (entry.isSymbolicLink()) {
          symlink(name, entry.getLinkName());
          files.remove(resolve(name));
        } else if (entry.isLink()) {
          files.add(copyOfEarlierFile(name, entry.getLinkName(), files, budget));
        } else if (isRegularFile(entry)) {
          files.add(writeFile(name, tar, entry.getMode(), budget));
        } else {
          throw unsupported(name, kind(entry) + " cannot be part of an app's source");
        }
        written++;
      }
    } catch (java.util.zip.ZipException e) {
      throw PlatformException.badRequest("upload is not a gzip-compressed tar archive: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw PlatformException.badRequest("upload is not a valid tar archive: " + e.getMessage());
    }
    if (written == 0) throw PlatformException.invalid("the upload is empty: the archive holds no files");
    checkLinks();
  }

  /**
   * Refuses the tree when one of its symbolic links, followed through the others, leads outside
   * it (each link alone looked inside when written: {@code d -> .} then {@code e -> d/..}).
   * Dangling links are left: nothing reaches a file through them.
   */
  public void checkLinks() throws IOException {
    Path realRoot = root.toRealPath();
    List<Path> links;
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      links = walk.filter(Files::isSymbolicLink).toList();
    }
    for (Path link : links) {
      String name = root.relativize(link).toString();
      try {
        if (!link.toRealPath().startsWith(realRoot)) {
          throw unsafe(name, "symbolic link leads outside the directory through other links");
        }
      } catch (java.nio.file.NoSuchFileException dangling) {
        // points at nothing (yet): harmless
      } catch (java.nio.file.FileSystemException loop) {
        throw unsafe(name, "symbolic link loop");
      }
    }
  }

  /** What an upload may still unpack to. */
  private static final class Budget {
    final long max;
    long used;

    Budget(long max) {
      this.max = max;
    }

    void spend(long bytes) {
      used += bytes;
      if (used > max) {
        throw new PlatformException(
            Problem.TOO_LARGE, "upload is larger than the limit of " + (max >> 20) + " MB when unpacked");
      }
    }
  }

  private Path writeFile(String name, InputStream content, int mode, Budget budget) throws IOException {
    Path target = resolve(name);
    Files.createDirectories(target.getParent());
    // An earlier entry of the same name (a symbolic link, perhaps through a chain of links that
    // each looked inside the tree) is replaced, never written through: CREATE_NEW does not
    // follow a link at the last component.
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw unsupported(name, "a file and a directory of the same name");
    }
    Files.deleteIfExists(target);
    try (OutputStream out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE)) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = content.read(buf)) > 0) {
        budget.spend(n);
        out.write(buf, 0, n);
      }
    }
    if ((mode & 0100) != 0) makeExecutable(target);
    return target;
  }

  /**
   * A hard link becomes a copy of its target, which must be a regular file written earlier by
   * this upload (tar stores the target first; anything else would copy a file Pier did not
   * check).
   */
  private Path copyOfEarlierFile(String name, String linkName, Set<Path> files, Budget budget) throws IOException {
    Path link = resolve(name);
    Path target = resolve(linkName);
    if (!files.contains(target) || !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      throw unsupported(name, "hard link to '" + shown(linkName) + "', which is not a file earlier in the upload");
    }
    budget.spend(Files.size(target));
    Files.createDirectories(link.getParent());
    if (!link.equals(target)) Files.copy(target, link, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    if (Files.isExecutable(target)) makeExecutable(link);
    return link;
  }

  /** Plain files: tar's regular types only; every other type is refused, never written empty. */
  private static boolean isRegularFile(TarArchiveEntry entry) {
    byte flag = entry.getLinkFlag();
    return flag == TarArchiveEntry.LF_NORMAL || flag == TarArchiveEntry.LF_OLDNORM || flag == TarArchiveEntry.LF_CONTIG;
  }

  private static String kind(TarArchiveEntry entry) {
    if (entry.isFIFO()) return "a FIFO (named pipe)";
    if (entry.isCharacterDevice()) return "a character device";
    if (entry.isBlockDevice()) return "a block device";
    return "an entry of tar type '" + (char) entry.getLinkFlag() + "'";
  }

  /** Resolves a relative entry name inside the tree, refusing absolute paths and {@code ..}. */
  public Path resolve(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
      throw unsafe(name, "absolute or malformed path");
    }
    for (String segment : name.split("/")) {
      if (segment.equals("..")) throw unsafe(name, "path contains '..'");
    }
    Path target = root.resolve(name).normalize();
    if (!target.startsWith(root)) throw unsafe(name, "path leaves the directory");
    // A previously written link must not redirect this entry outside the tree.
    for (Path p = target.getParent(); p != null && !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) throw unsafe(name, "path goes through a symbolic link");
    }
    return target;
  }

  /** Creates a symbolic link after checking that its target stays inside the tree. */
  public void symlink(String name, String linkTarget) throws IOException {
    Path link = resolve(name);
    if (linkTarget.startsWith("/")) {
      throw unsafe(name, "symbolic link to an absolute path (" + linkTarget + ")");
    }
    Path resolved = link.getParent().resolve(linkTarget).normalize();
    if (!resolved.startsWith(root)) {
      throw unsafe(name, "symbolic link points outside the directory (" + linkTarget + ")");
    }
    Files.createDirectories(link.getParent());
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, Path.of(linkTarget));
  }

  static void makeExecutable(Path file) throws IOException {
    Set<PosixFilePermission> perms =
        EnumSet.copyOf(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
    perms.addAll(
        Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_EXECUTE));
    Files.setPosixFilePermissions(file, perms);
  }

  private static PlatformException unsafe(String name, String why) {
    return PlatformException.badRequest("refused entry '" + shown(name) + "': " + why);
  }

  private static PlatformException unsupported(String name, String why) {
    return PlatformException.invalid("refused entry '" + shown(name) + "': " + why);
  }

  private static String shown(String name) {
    String cut = name.length() > 200 ? name.substring(0, 200) + "..." : name;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
