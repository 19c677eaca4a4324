package dev.pier.store;

import dev.pier.model.AppName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The apps' bare git repositories under {@code DATA/repos}. Every repository fsyncs its objects
 * and refs ({@code core.fsyncObjectFiles}, {@code core.fsyncRefFiles}), so a push git was told
 * is stored survives a crash of the machine too.
 */
public final class Repositories {
  private final DataDirs dirs;

  public Repositories(DataDirs dirs) {
    this.dirs = dirs;
  }

  /**
   * Creates the empty repository of a new app. A directory already there (left by an app of the
   * same name that a crash interrupted while it was destroyed) is moved to lost+found first, so a
   * new app never inherits old code. Returns where such a leftover went, or null.
   */
  public Path create(AppName app) throws IOException {
    Path dir = dirs.repo(app);
    Path moved = Files.exists(dir) ? moveToLostAndFound(dir) : null;
    try (Git git = Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call()) {
      makeDurable(git.getRepository());
    } catch (GitAPIException e) {
      throw new IOException("cannot create the git repository: " + e.getMessage(), e);
    }
    return moved;
  }

  public boolean exists(AppName app) {
    return Files.isRegularFile(dirs.repo(app).resolve("HEAD"));
  }

  /** Opens an existing repository. */
  public Repository open(AppName app) throws IOException {
    return new FileRepositoryBuilder().setGitDir(dirs.repo(app).toFile()).setMustExist(true).build();
  }

  /** Turns on fsync of objects and refs (repositories made before it was the default). */
  public void makeDurable(AppName app) throws IOException {
    try (Repository repo = open(app)) {
      makeDurable(repo);
    }
  }

  private static void makeDurable(Repository repo) throws IOException {
    StoredConfig config = repo.getConfig();
    if (config.getBoolean(ConfigConstants.CONFIG_CORE_SECTION, "fsyncObjectFiles", false)
        && config.getBoolean(ConfigConstants.CONFIG_CORE_SECTION, "fsyncRefFiles", false)) {
      return;
    }
    config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, "fsyncObjectFiles", true);
    config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, "fsyncRefFiles", true);
    config.save();
  }

  /**
   * Deletes lock files git left in the app's repository ({@code config.lock},
   * {@code refs/heads/main.lock} ...): a process killed while it held one leaves it behind, and
   * every later push or config write would fail on it. Call only when no git operation can run
   * (at start). Returns the locks removed, relative to the repository.
   */
  public List<String> removeStaleLocks(AppName app) throws IOException {
    Path dir = dirs.repo(app);
    List<String> removed = new ArrayList<>();
    if (!Files.isDirectory(dir)) return removed;
    try (var walk = Files.walk(dir, 8)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.getFileName().toString().endsWith(".lock") && Files.isRegularFile(p)) {
          Files.delete(p);
          removed.add(dir.relativize(p).toString());
        }
      }
    }
    return removed;
  }

  /** The app names that have a repository directory ({@code NAME.git}). */
  public List<String> names() throws IOException {
    List<String> names = new ArrayList<>();
    Path root = dirs.root().resolve("repos");
    if (!Files.isDirectory(root)) return names;
    try (var list = Files.list(root)) {
      for (Path p : (Iterable<Path>) list::iterator) {
        String file = p.getFileName().toString();
        if (file.endsWith(".git") && Files.isDirectory(p)) names.add(file.substring(0, file.length() - 4));
      }
    }
    return names;
  }

  /** Moves a leftover directory to {@code DATA/lost+found} (owner-only); returns its new path. */
  public Path moveToLostAndFound(Path dir) throws IOException {
    Path lost = dirs.root().resolve("lost+found");
    Files.createDirectories(lost);
    DataDirs.chmod(lost, "rwx------");
    Path target = lost.resolve(dir.getFileName() + "." + Instant.now().toEpochMilli());
    return Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
  }
}
