package dev.pier.logstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.Lock;

/**
 * Keeps the store's files to the server's user: log lines can hold secrets an app printed.
 * Directories are 0700 (also when they existed with wider rights), files 0600.
 */
final class OwnerOnly {
  private OwnerOnly() {}

  /** Creates {@code dir} if needed and makes it 0700. */
  static void createDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** Makes {@code file} 0600. */
  static void restrict(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }

  /**
   * A directory whose new files (and lock file) are 0600: Lucene creates them with the process
   * umask, and this narrows each right after (a dozen files per flushed segment, never per line).
   */
  static final class FilesDirectory extends FilterDirectory {
    private final Path path;

    FilesDirectory(Directory in, Path path) {
      super(in);
      this.path = path;
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
      IndexOutput out = super.createOutput(name, context);
      restrictOrClose(out);
      return out;
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
      IndexOutput out = super.createTempOutput(prefix, suffix, context);
      restrictOrClose(out);
      return out;
    }

    private void restrictOrClose(IndexOutput out) throws IOException {
      try {
        restrict(path.resolve(out.getName()));
      } catch (IOException | RuntimeException e) {
        out.close();
        throw e;
      }
    }

    @Override
    public Lock obtainLock(String name) throws IOException {
      Lock lock = super.obtainLock(name);
      try {
        restrict(path.resolve(name));
      } catch (IOException | RuntimeException e) {
        lock.close();
        throw e;
      }
      return lock;
    }

    @Override
    public Set<String> getPendingDeletions() throws IOException {
      return in.getPendingDeletions();
    }
  }
}
