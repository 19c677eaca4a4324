package dev.pier.rename;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.deploy.ProcessManager;
import dev.pier.deploy.Rollout;
import dev.pier.errors.PlatformException;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.routing.RoutePublisher;
import dev.pier.store.DataDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Renames an app (Heroku's {@code apps:rename}). Refused (409) while a change of the app is in
 * progress (a push's build, a config change, a rollback...): the rename holds the app's lock, so
 * none starts during it. The app is redeployed under its new name:
 *
 * <pre>
 *   stop its instances -> move its folders (repo, slugs, build cache, static sites)
 *     -> rows renamed in one transaction (else the folders move back) -> routes published
 *     -> logs, metrics and drains follow -> its running versions start again under the new name
 * </pre>
 *
 * The app does not answer between the stop and its new instances being ready (a few seconds);
 * static sites answer at once. Its uid stays.
 */
public final class AppRenamer {
  private final AppService apps;
  private final AppRenameStore store;
  private final Rollout rollout;
  private final ProcessManager processes;
  private final RoutePublisher routes;
  private final DataDirs dirs;
  private final LogBus logs;
  private final List<BiConsumer<AppName, AppName>> onRename = new CopyOnWriteArrayList<>();
  private final RenameJournal journal;

  public AppRenamer(AppService apps, AppRenameStore store, Rollout rollout, ProcessManager processes,
      RoutePublisher routes, DataDirs dirs, LogBus logs) {
    this.apps = apps;
    this.store = store;
    this.rollout = rollout;
    this.processes = processes;
    this.routes = routes;
    this.dirs = dirs;
    this.logs = logs;
    this.journal = new RenameJournal(dirs.root().resolve("rename-journal"));
  }

  /**
   * Finishes or undoes a rename a killed server left half done: the folders move to the name the
   * store holds (the transaction decided), and logs, metrics and drains follow a committed rename.
   * Call once at start, after {@link #onRename} and before routes are published.
   */
  public void recover() {
    var pending = journal.pending();
    if (pending.isEmpty()) {
      journal.clear();
      return;
    }
    AppName from = pending.get().from();
    AppName to = pending.get().to();
    boolean committed = apps.list().stream().anyMatch(a -> a.name().equals(to));
    moveFoldersHome(dirs, from, to, committed);
    if (committed) {
      DataDirs.deleteTree(dirs.builds(from));
      DataDirs.deleteTree(dirs.run().resolve(from.value()));
      logs.forget(from.value());
      for (var move : onRename) move.accept(from, to);
      logs.platform(to.value(), "api", "Rename from " + from + " finished at start (the server stopped during it)");
    }
    journal.clear();
  }

  /**
   * The folder half of {@link #recover()}, run first at start, before the doctor would take a
   * half-renamed app's folders for leftovers of a deleted app: the folders move to the name
   * {@code inStore} holds. The journal stays for {@link #recover()} to finish logs, metrics and
   * drains.
   */
  public static void recoverFolders(DataDirs dirs, Predicate<AppName> inStore) {
    new RenameJournal(dirs.root().resolve("rename-journal")).pending()
        .ifPresent(e -> moveFoldersHome(dirs, e.from(), e.to(), inStore.test(e.to())));
  }

  private static void moveFoldersHome(DataDirs dirs, AppName from, AppName to, boolean committed) {
    AppName away = committed ? from : to;
    AppName home = committed ? to : from;
    for (var folders : folderPairs(dirs, away, home)) {
      if (Files.exists(folders[0], java.nio.file.LinkOption.NOFOLLOW_LINKS)
          && !Files.exists(folders[1], java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.move(folders[0], folders[1], StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot finish the rename of " + from + ": move " + folders[0], e);
        }
      }
    }
  }

  private static List<Path[]> folderPairs(DataDirs dirs, AppName from, AppName to) {
    return List.of(
        new Path[] {dirs.repo(from), dirs.repo(to)},
        new Path[] {dirs.slugs(from), dirs.slugs(to)},
        new Path[] {dirs.cache(from), dirs.cache(to)},
        new Path[] {sites(dirs, from), sites(dirs, to)});
  }

  /** Registers what moves an app's data kept elsewhere (log store, metrics, drains) to its new name. */
  public void onRename(BiConsumer<AppName, AppName> move) {
    onRename.add(move);
  }

  /** Renames {@code from} to {@code newName}: 422 for an invalid name, 409 for a taken one or a change in progress. */
  public App rename(AppName from, String newName, String user) throws Exception {
    App app = apps.get(from);
    AppName to;
    try {
      to = new AppName(newName);
    } catch (IllegalArgumentException e) {
      throw PlatformException.invalid(e.getMessage());
    }
    if (to.equals(from)) throw PlatformException.invalid("the app is already named " + from);
    if (apps.list().stream().anyMatch(a -> a.name().equals(to))) {
      throw PlatformException.conflict("app name '" + to + "' is already taken");
    }
    boolean done = rollout.ifIdle(from, () -> {
      renameIdle(app, to, user);
      return true;
    }).orElse(false);
    if (!done) {
      throw PlatformException.conflict("a change of " + from + " is in progress (a push, build, config change"
          + " or rollback): rename it once that has finished");
    }
    return apps.get(to);
  }

  private void renameIdle(App app, AppName to, String user) {
    AppName from = app.name();
    processes.stopAll(from.value());
    List<Path[]> moved = new ArrayList<>();
    journal.begin(from, to);
    try {
      for (var folders : folderPairs(dirs, from, to)) move(folders[0], folders[1], moved);
      if (!store.rename(from, to, dirs.slugs(from), dirs.slugs(to))) {
        throw PlatformException.conflict("app name '" + to + "' is already taken");
      }
    } catch (RuntimeException e) {
      for (int i = moved.size() - 1; i >= 0; i--) {
        try {
          Files.move(moved.get(i)[1], moved.get(i)[0]);
        } catch (IOException back) {
          e.addSuppressed(back);
        }
      }
      if (e.getSuppressed().length == 0) journal.clear(); // else the next start finishes moving back
      throw e;
    } finally {
      processes.stoppedAll(from.value());
    }
    DataDirs.deleteTree(dirs.builds(from));
    DataDirs.deleteTree(dirs.run().resolve(from.value()));
    routes.publish();
    logs.forget(from.value());
    for (var move : onRename) move.accept(from, to);
    journal.clear();
    logs.platform(to.value(), "api", "App renamed from " + from + " to " + to + " by " + user);
    processes.stoppedAll(to.value()); // its desired state starts its running versions
  }

  private static Path sites(DataDirs dirs, AppName app) {
    return dirs.root().resolve("sites").resolve(app.value());
  }

  private static void move(Path from, Path to, List<Path[]> moved) {
    if (!Files.exists(from, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try {
      if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        // an app of that name created meanwhile (never delete its folders), or a leftover `pier doctor` removes
        throw PlatformException.conflict("cannot rename: " + to + " already exists (an app of that name, or a leftover that `pier doctor` removes)");
      }
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      moved.add(new Path[] {from, to});
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + from + " to " + to, e);
    }
  }
}
