package dev.pier.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Writes a source directory as the tar.gz {@code POST /apps/{app}/deploy} takes. Entry names are
 * relative ({@code src/index.js}), each file's parent directories come first, executable files
 * get mode 0755 and others 0644, and symbolic links are stored as links with their target as it is
 * on disk.
 */
final class SourceArchive {
  private SourceArchive() {}

  /** Writes the given files of {@code root} to {@code target}; returns the archive's size in bytes. */
  static long write(Path root, List<String> files, Path target) throws IOException {
    try (OutputStream file = Files.newOutputStream(target);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(new GzipCompressorOutputStream(new BufferedOutputStream(file)))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      Set<String> directories = new HashSet<>();
      for (String name : files) {
        addParents(tar, root, name, directories);
        add(tar, root.resolve(name), name);
      }
      tar.finish();
    }
    return Files.size(target);
  }

  private static void addParents(TarArchiveOutputStream tar, Path root, String name, Set<String> done)
      throws IOException {
    int slash = name.indexOf('/');
    while (slash > 0) {
      String dir = name.substring(0, slash + 1);
      if (done.add(dir)) {
        TarArchiveEntry entry = new TarArchiveEntry(dir);
        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
        entry.setModTime(Files.getLastModifiedTime(root.resolve(dir), LinkOption.NOFOLLOW_LINKS));
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
      }
      slash = name.indexOf('/', slash + 1);
    }
  }

  private static void add(TarArchiveOutputStream tar, Path file, String name) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    TarArchiveEntry entry;
    if (attributes.isSymbolicLink()) {
      entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
      entry.setLinkName(Files.readSymbolicLink(file).toString());
      entry.setMode(0120777);
    } else if (attributes.isRegularFile()) {
      entry = new TarArchiveEntry(name);
      entry.setSize(attributes.size());
      entry.setMode(isExecutable(file) ? 0100755 : 0100644);
    } else {
      return; // sockets, fifos and devices are not source code
    }
    entry.setModTime(attributes.lastModifiedTime());
    tar.putArchiveEntry(entry);
    if (attributes.isRegularFile()) {
      Files.copy(file, tar);
    }
    tar.closeArchiveEntry();
  }

  private static boolean isExecutable(Path file) throws IOException {
    return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
        .contains(PosixFilePermission.OWNER_EXECUTE);
  }
}
