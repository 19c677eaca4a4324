package dev.pier.deploy;

import dev.pier.server.PlatformException;
import dev.pier.server.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Writes untrusted source trees (uploads and pushed commits) into a directory Pier owns, refusing
 * anything that could land outside it: {@code ..} segments, absolute paths, links whose target
 * leaves the tree, device files. The check happens before any byte is written for the entry.
 */
public final class SourceTree {
  private final Path root;

  public SourceTree(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /**
   * Extracts a tar.gz upload. Fails with 400 naming the first unsafe entry, 413 when the
   * uncompressed size passes {@code maxBytes}.
   */
  public void extractTarGz(InputStream in, long maxBytes) throws IOException {
    long total = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        if (entry.isDirectory()) {
          Files.createDirectories(resolve(name));
        } else if (entry.isSymbolicLink()) {
          symlink(name, entry.getLinkName());
        } else if (entry.isFile()) {
          Path target = resolve(name);
          Files.createDirectories(target.getParent());
          try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = tar.read(buf)) > 0) {
              total += n;
              if (total > maxBytes) {
                throw new PlatformException(
                    Problem.TOO_LARGE,
                    "upload is larger than the limit of " + (maxBytes >> 20) + " MB when unpacked");
              }
              out.write(buf, 0, n);
            }
          }
          if ((entry.getMode() & 0100) != 0) makeExecutable(target);
        } else if (entry.isLink()) {
          throw unsafe(name, "hard links are not accepted");
        } else {
          throw unsafe(name, "only files, directories and symbolic links are accepted");
        }
      }
    } catch (java.util.zip.ZipException e) {
      throw PlatformException.badRequest("upload is not a gzip-compressed tar archive: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw PlatformException.badRequest("upload is not a valid tar archive: " + e.getMessage());
    }
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
    String shown = name.length() > 200 ? name.substring(0, 200) + "..." : name;
    return PlatformException.badRequest("refused entry '" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "': " + why);
  }
}
