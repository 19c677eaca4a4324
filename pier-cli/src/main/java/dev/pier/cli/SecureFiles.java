package dev.pier.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes files that hold secrets: owner-only permissions from the first byte, replaced atomically. */
final class SecureFiles {
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  /** Creates the directory (and missing parents) if needed and restricts it to its owner (0700). */
  static void ownerOnlyDirectory(Path dir) throws IOException {
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
    } catch (FileAlreadyExistsException e) {
      throw new IOException(dir + " exists and is not a directory", e);
    }
    Files.setPosixFilePermissions(dir, DIR);
  }

  /**
   * Replaces {@code file} with {@code text}, mode 0600. A reader sees the old or the new content,
   * never a partial file, and the secret is never readable by others, even briefly.
   */
  static void writeOwnerOnly(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(FILE));
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.setPosixFilePermissions(file, FILE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
