package dev.pier.build;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Packs a built app directory into a slug: a gzipped tar whose entry names are relative to the
 * app root ({@code server.js}, {@code node_modules/x/}), keeping permission bits and symbolic
 * links (never followed) and leaving out the top-level {@code .git}. Owners are written as 0:
 * whoever unpacks the slug decides who owns the files. Sockets, fifos and devices are skipped.
 *
 * <p>Files of {@value #BIG_FILE} bytes or more (a vendored {@code node} binary of 120 MB, fat
 * jars) are compressed at the fastest level: about four times faster than the default level
 * for about a tenth more bytes.
 */
final class SlugWriter {
  private static final int TYPE_FILE = 0100000;
  private static final int TYPE_DIR = 040000;
  private static final int TYPE_SYMLINK = 0120000;
  static final long BIG_FILE = 16L << 20;

  private SlugWriter() {}

  /** Writes the slug of {@code appDir} to {@code slug} (atomically replacing it) and returns its size. */
  static long write(Path appDir, Path slug) throws IOException {
    Path parent = slug.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path partial = parent.resolve(slug.getFileName() + ".partial");
    try {
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
          LevelledGzip gzip = new LevelledGzip(file);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        Files.walkFileTree(appDir, new Packer(appDir, tar, gzip));
        tar.finish();
      }
      Files.move(partial, slug, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return Files.size(slug);
  }

  /** gzip whose compression level can change between entries. */
  private static final class LevelledGzip extends GZIPOutputStream {
    LevelledGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
    }

    /** Compresses what is written next at {@code level} ({@link Deflater#BEST_SPEED}, ...). */
    void level(int level) {
      def.setLevel(level);
    }
  }

  private static final class Packer extends SimpleFileVisitor<Path> {
    private final Path root;
    private final TarArchiveOutputStream tar;
    private final LevelledGzip gzip;

    Packer(Path root, TarArchiveOutputStream tar, LevelledGzip gzip) {
      this.root = root;
      this.tar = tar;
      this.gzip = gzip;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
      if (dir.equals(root)) return FileVisitResult.CONTINUE;
      String name = name(dir);
      if (name.equals(".git")) return FileVisitResult.SKIP_SUBTREE;
      TarArchiveEntry entry = new TarArchiveEntry(name + "/");
      describe(entry, attrs, TYPE_DIR | permissions(dir));
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      if (attrs.isSymbolicLink()) {
        TarArchiveEntry entry = new TarArchiveEntry(name(file), TarConstants.LF_SYMLINK);
        entry.setLinkName(Files.readSymbolicLink(file).toString());
        describe(entry, attrs, TYPE_SYMLINK | 0777);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
      } else if (attrs.isRegularFile()) {
        TarArchiveEntry entry = new TarArchiveEntry(name(file));
        describe(entry, attrs, TYPE_FILE | permissions(file));
        entry.setSize(attrs.size());
        tar.putArchiveEntry(entry);
        boolean big = attrs.size() >= BIG_FILE;
        if (big) gzip.level(Deflater.BEST_SPEED);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
          in.transferTo(tar);
        }
        tar.closeArchiveEntry();
        if (big) gzip.level(Deflater.DEFAULT_COMPRESSION);
      }
      return FileVisitResult.CONTINUE;
    }

    private String name(Path path) {
      return root.relativize(path).toString();
    }

    private static void describe(TarArchiveEntry entry, BasicFileAttributes attrs, int mode) {
      entry.setMode(mode);
      entry.setModTime(attrs.lastModifiedTime().toMillis());
      entry.setIds(0, 0);
      entry.setUserName("");
      entry.setGroupName("");
    }

    private static int permissions(Path path) throws IOException {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      int mode = 0;
      for (PosixFilePermission p : perms) {
        mode |= switch (p) {
          case OWNER_READ -> 0400;
          case OWNER_WRITE -> 0200;
          case OWNER_EXECUTE -> 0100;
          case GROUP_READ -> 040;
          case GROUP_WRITE -> 020;
          case GROUP_EXECUTE -> 010;
          case OTHERS_READ -> 04;
          case OTHERS_WRITE -> 02;
          case OTHERS_EXECUTE -> 01;
        };
      }
      return mode;
    }
  }
}
