package dev.pier.store;

import dev.pier.model.AppName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The layout of the data directory; folders mirror the concerns:
 *
 * <pre>
 *   DATA/admin-token        owner-only, the first admin token
 *   DATA/db/                embedded state database
 *   DATA/repos/APP.git      bare git repositories (owner-only)
 *   DATA/slugs/APP/         built slugs, one per release (owner-only)
 *   DATA/cache/APP/         build caches (owned by the app's uid)
 *   DATA/builds/APP/        source trees being built
 *   DATA/run/APP/NAME/      instance directories (owned by the app's uid)
 *   DATA/logs/              the log store (owner-only: lines can hold secrets apps printed)
 *   DATA/metrics/           metric series, one file per app (owner-only)
 * </pre>
 */
public record DataDirs(Path root) {
  public DataDirs {
    root = root.toAbsolutePath().normalize();
  }

  /**
   * Creates the folders. Instance and build folders must be traversable by app uids, so with
   * {@code checkTraversable} every parent of the data directory must be searchable by others
   * (o+x); otherwise this fails naming the directory to fix.
   */
  public void create(boolean checkTraversable) {
    if (checkTraversable) {
      for (Path p = root.getParent(); p != null; p = p.getParent()) {
        try {
          if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(
              java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
            throw new IllegalStateException("the data directory " + root + " is inside " + p
                + ", which other users cannot enter (it lacks o+x), so app uids could not reach"
                + " their files: run `chmod o+x " + p + "` or choose another --data");
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot check " + p, e);
        }
      }
    }
    try {
      Files.createDirectories(root);
      chmod(root, "rwx--x--x");
      for (String privateDir : new String[] {"db", "repos", "slugs", "logs", "metrics"}) {
        Files.createDirectories(root.resolve(privateDir));
        chmod(root.resolve(privateDir), "rwx------");
      }
      for (String shared : new String[] {"cache", "builds", "run"}) {
        Files.createDirectories(root.resolve(shared));
        chmod(root.resolve(shared), "rwx--x--x");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + root, e);
    }
  }

  public Path db() {
    return root.resolve("db");
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path metrics() {
    return root.resolve("metrics");
  }

  public Path adminToken() {
    return root.resolve("admin-token");
  }

  public Path repo(AppName app) {
    return root.resolve("repos").resolve(app.value() + ".git");
  }

  public Path slugs(AppName app) {
    return root.resolve("slugs").resolve(app.value());
  }

  public Path cache(AppName app) {
    return root.resolve("cache").resolve(app.value());
  }

  public Path builds(AppName app) {
    return root.resolve("builds").resolve(app.value());
  }

  public Path run() {
    return root.resolve("run");
  }

  public static void chmod(Path path, String perms) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
  }

  /** Deletes a directory tree without following links; missing is fine. */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
