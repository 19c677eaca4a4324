package dev.pier.doctor;

import dev.pier.app.App;
import dev.pier.app.AppStore;
import dev.pier.config.ConfigStore;
import dev.pier.deploy.BuildStore;
import dev.pier.deploy.Rollout;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.store.DataDirs;
import dev.pier.store.Repositories;
import dev.pier.versions.VersionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that the state store, the git repositories and the files on disk agree, the way they
 * must after any crash:
 *
 * <pre>
 *   builds left "running"          -> failed ("interrupted")               [start]
 *   releases left "pending"        -> failed (never ran)                   [start]
 *   repo without app               -> moved to DATA/lost+found             [start]
 *   slugs/cache/builds without app -> deleted                              [start]
 *   git lock files left by a kill  -> deleted                              [start]
 *   app without repo               -> empty repo created                   [start]
 *   slug file no release names     -> deleted                              [start]
 *   config vars != newest release  -> restored from the release            [start]
 *   deploy branch behind the live release -> moved to the release's commit [start]
 *   deploy branch at a commit no release was built from                    [reported]
 *   a release whose slug is missing                                        [reported]
 * </pre>
 *
 * At start ({@link Mode#REPAIR}) it repairs what it can, before any instance runs; on demand
 * ({@code pier doctor}, {@link Mode#REPORT}) it only reports, and skips apps a change is in
 * progress for. Every finding goes to the server log and to the app's log stream.
 */
public final class Doctor {
  private static final Logger LOG = LoggerFactory.getLogger(Doctor.class);
  private static final String[] PER_APP_DIRS = {"slugs", "cache", "builds"};

  /** Repair at start, or only report while the server runs. */
  public enum Mode { REPAIR, REPORT }

  /** The per-app lock every change takes ({@link Rollout#ifIdle}): checks skip a busy app. */
  @FunctionalInterface
  public interface AppLocks {
    <T> Optional<T> ifIdle(AppName app, java.util.concurrent.Callable<T> work) throws Exception;
  }

  private final AppStore apps;
  private final ReleaseStore releases;
  private final VersionStore versions;
  private final ConfigStore config;
  private final BuildStore builds;
  private final AppLocks locks;
  private final DataDirs dirs;
  private final Repositories repos;
  private final LogBus logs;
  private final InstantSource clock;

  /** #10 branch previews: each app's releases built for a preview. */
  private volatile java.util.function.Function<dev.pier.model.AppName, Set<Integer>> previews = a -> Set.of();

  /** Releases {@code previews} names are never the reference of an app's config (call before a check). */
  public void excludePreviews(java.util.function.Function<dev.pier.model.AppName, Set<Integer>> previews) {
    this.previews = java.util.Objects.requireNonNull(previews, "previews");
  }

  public Doctor(
      AppStore apps, ReleaseStore releases, VersionStore versions, ConfigStore config,
      BuildStore builds, AppLocks locks, DataDirs dirs, LogBus logs, InstantSource clock) {
    this.apps = apps;
    this.releases = releases;
    this.versions = versions;
    this.config = config;
    this.builds = builds;
    this.locks = locks;
    this.dirs = dirs;
    this.repos = new Repositories(dirs);
    this.logs = logs;
    this.clock = clock;
  }

  /** Runs every check; in {@link Mode#REPAIR} fixes what it can. Never throws for one app. */
  public List<Finding> check(Mode mode) {
    boolean repair = mode == Mode.REPAIR;
    List<Finding> findings = new ArrayList<>();
    if (repair) {
      for (BuildStore.Build b : builds.failRunning(
          "Interrupted: the server stopped during this build; nothing of it was released.", clock.instant())) {
        findings.add(Finding.repaired(b.app(), "build " + b.id() + " (" + b.description()
            + ") was interrupted by a server stop; marked failed"));
      }
      for (String pending : releases.failPending()) {
        int space = pending.indexOf(' ');
        findings.add(Finding.repaired(pending.substring(0, space), "release " + pending.substring(space + 1)
            + " was cut off by a server stop before it ran; marked failed"));
      }
    }
    List<App> all = apps.all();
    Set<String> names = new HashSet<>();
    for (App app : all) names.add(app.name().value());
    leftovers(names, repair, findings);
    for (App app : all) {
      try {
        Optional<Boolean> checked = locks.ifIdle(app.name(), () -> {
          checkApp(app, repair, findings);
          return true;
        });
        if (checked.isEmpty()) {
          findings.add(Finding.skipped(app.name().value(), "skipped: a change of this app is in progress"));
        }
      } catch (Exception e) {
        LOG.error("{}: checking failed", app.name(), e);
        findings.add(Finding.problem(app.name().value(), "could not be checked: " + e));
      }
    }
    for (Finding f : findings) {
      if (f.kind() == Finding.Kind.SKIPPED) continue;
      LOG.warn("doctor: {}: {}{}", f.app() == null ? "-" : f.app(), f.message(),
          f.kind() == Finding.Kind.REPAIRED ? " (repaired)" : "");
      if (f.app() != null && names.contains(f.app())) {
        logs.platform(f.app(), "doctor", f.message() + (f.kind() == Finding.Kind.REPAIRED ? " (repaired)" : ""));
      }
    }
    return findings;
  }

  /** Repositories and per-app folders whose app does not exist (a create or destroy cut off). */
  private void leftovers(Set<String> names, boolean repair, List<Finding> findings) {
    try {
      for (String name : repos.names()) {
        if (names.contains(name)) continue;
        Path dir = dirs.root().resolve("repos").resolve(name + ".git");
        if (repair) {
          Path moved = repos.moveToLostAndFound(dir);
          findings.add(Finding.repaired(name, "repository of a missing app moved to " + moved));
        } else {
          findings.add(Finding.problem(name, "repository " + dir + " belongs to no app"));
        }
      }
      for (String kind : PER_APP_DIRS) {
        Path root = dirs.root().resolve(kind);
        if (!Files.isDirectory(root)) continue;
        try (var list = Files.list(root)) {
          for (Path dir : (Iterable<Path>) list::iterator) {
            String name = dir.getFileName().toString();
            if (names.contains(name)) continue;
            if (repair) {
              DataDirs.deleteTree(dir);
              findings.add(Finding.repaired(name, kind + " folder of a missing app deleted"));
            } else {
              findings.add(Finding.problem(name, kind + " folder " + dir + " belongs to no app"));
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      findings.add(Finding.problem(null, "cannot scan the data directory: " + e.getMessage()));
    }
  }

  private void checkApp(App app, boolean repair, List<Finding> findings) throws IOException {
    String name = app.name().value();
    if (repair) {
      List<String> locks = repos.removeStaleLocks(app.name());
      if (!locks.isEmpty()) {
        findings.add(Finding.repaired(name, "stale git lock file(s) " + String.join(", ", locks)
            + " left by a server stop removed"));
      }
    }
    if (!repos.exists(app.name())) {
      if (repair) {
        repos.create(app.name());
        findings.add(Finding.repaired(name, "git repository was missing; created an empty one"));
      } else {
        findings.add(Finding.problem(name, "git repository is missing"));
      }
    } else {
      repos.makeDurable(app.name());
    }
    List<Release> all = releases.list(app.name());
    slugs(app, all, repair, findings);
    Set<Integer> previewReleases = previews.apply(app.name());
    if (repair) {
      // Every config change makes a release from the config it stores; the newest release that
      // did not fail carries the config the last acknowledged change left (traffic splits and
      // migrations do not change config, so the current release is not the reference).
      // A branch preview's release carries the app's config plus its own: never the reference.
      all.stream().filter(r -> !r.failed() && !previewReleases.contains(r.version())).findFirst()
          .ifPresent(newest -> configMatches(app, newest, findings));
    }
    Release current = null;
    for (Release r : all) if (r.version() == app.currentRelease()) current = r;
    if (current == null) return;
    if (repos.exists(app.name())) branchMatches(app, current, all, repair, findings);
  }

  private void slugs(App app, List<Release> all, boolean repair, List<Finding> findings) throws IOException {
    String name = app.name().value();
    Set<Path> named = new HashSet<>();
    Map<Path, List<Integer>> missing = new LinkedHashMap<>();
    for (Release r : all) {
      if (r.slug() == null) continue;
      named.add(r.slug().getFileName());
      if (!Files.exists(r.slug())) missing.computeIfAbsent(r.slug(), s -> new ArrayList<>()).add(r.version());
    }
    Set<Integer> live = new HashSet<>(versions.running(app.name()));
    live.addAll(versions.traffic(app.name()).allocations().keySet());
    for (List<Integer> vs : missing.values()) {
      boolean serving = vs.stream().anyMatch(live::contains);
      findings.add(Finding.problem(name, "the slug of " + versionList(vs) + " is missing: "
          + (serving ? "a running version cannot restart; deploy again or roll back to another release"
              : "it cannot run again")));
    }
    if (!repair) return;
    Path slugDir = dirs.slugs(app.name());
    if (Files.isDirectory(slugDir)) {
      int removed = 0;
      try (var list = Files.list(slugDir)) {
        for (Path p : (Iterable<Path>) list::iterator) {
          // By file name (slugs are UUIDs): a data directory reached through another path (a
          // symbolic link, a move) must not make every slug look unreferenced.
          if (named.contains(p.getFileName())) continue;
          Files.deleteIfExists(p);
          removed++;
        }
      }
      if (removed > 0) {
        findings.add(Finding.repaired(name, removed + " slug file(s) that no release names deleted"
            + " (builds cut off before their release)"));
      }
    }
    Path sources = dirs.builds(app.name());
    if (Files.isDirectory(sources)) {
      try (var list = Files.list(sources)) {
        for (Path p : (Iterable<Path>) list::iterator) DataDirs.deleteTree(p);
      }
    }
  }

  /**
   * A config change is stored before its release runs: one cut off leaves the config vars apart
   * from {@code current}, the newest release that did not fail.
   */
  private void configMatches(App app, Release current, List<Finding> findings) {
    Map<String, String> vars = config.get(app.name());
    if (vars.equals(current.env())) return;
    Map<String, String> undo = new TreeMap<>();
    for (String key : vars.keySet()) if (!current.env().containsKey(key)) undo.put(key, null);
    current.env().forEach((k, v) -> {
      if (!v.equals(vars.get(k))) undo.put(k, v);
    });
    config.update(app.name(), undo);
    findings.add(Finding.repaired(app.name().value(), "config vars " + String.join(", ", undo.keySet())
        + " did not match the newest release v" + current.version()
        + " (a change cut off by a server stop); restored to the release's values"));
  }

  /**
   * The deploy branch must point at the commit the live release was built from. A push is
   * released before its branch moves: a crash in between leaves the branch behind, and the
   * branch is moved forward. A branch at a commit that no release was built from is reported.
   */
  private void branchMatches(App app, Release current, List<Release> all, boolean repair, List<Finding> findings)
      throws IOException {
    if (current.commit() == null) return;
    String name = app.name().value();
    try (Repository repo = repos.open(app.name()); RevWalk walk = new RevWalk(repo)) {
      String branch = repo.exactRef("refs/heads/main") == null && repo.exactRef("refs/heads/master") != null
          ? "refs/heads/master" : "refs/heads/main";
      Ref ref = repo.exactRef(branch);
      ObjectId head = ref == null ? null : ref.getObjectId();
      ObjectId live = ObjectId.fromString(current.commit());
      if (live.equals(head)) return;
      String shortBranch = branch.substring("refs/heads/".length());
      RevCommit liveCommit;
      try {
        liveCommit = walk.parseCommit(live);
      } catch (IOException missingObject) {
        findings.add(Finding.problem(name, "the live release v" + current.version() + " was built from "
            + abbrev(live) + ", which the repository does not have"));
        return;
      }
      boolean behind = head == null || walk.isMergedInto(walk.parseCommit(head), liveCommit);
      if (behind) {
        if (repair) {
          RefUpdate update = repo.updateRef(branch);
          update.setExpectedOldObjectId(head == null ? ObjectId.zeroId() : head);
          update.setNewObjectId(live);
          update.setRefLogMessage("pier doctor: match the live release v" + current.version(), false);
          RefUpdate.Result result = update.update();
          if (result == RefUpdate.Result.FAST_FORWARD || result == RefUpdate.Result.NEW
              || result == RefUpdate.Result.FORCED) {
            findings.add(Finding.repaired(name, shortBranch + " was at " + (head == null ? "nothing" : abbrev(head))
                + ", behind the live release v" + current.version() + " (a push released just before a server stop);"
                + " moved to " + abbrev(live)));
            return;
          }
          findings.add(Finding.problem(name, "cannot move " + shortBranch + " to " + abbrev(live) + ": " + result));
        } else {
          findings.add(Finding.problem(name, shortBranch + " is at " + (head == null ? "nothing" : abbrev(head))
              + ", behind the live release v" + current.version() + " (" + abbrev(live) + ")"));
        }
        return;
      }
      for (Release r : all) {
        if (!r.failed() && head.name().equals(r.commit())) return; // a no-promote push or a rollback
      }
      findings.add(Finding.problem(name, shortBranch + " is at " + abbrev(head) + ", which no release was built from;"
          + " the live release v" + current.version() + " runs " + abbrev(live)
          + ": push again to deploy it, or `git push --force pier " + abbrev(live) + ":" + shortBranch + "`"));
    }
  }

  private static String abbrev(ObjectId id) {
    return id.abbreviate(7).name();
  }

  private static String versionList(List<Integer> versions) {
    List<String> names = new ArrayList<>();
    for (int v : versions) names.add("v" + v);
    return String.join(", ", names);
  }
}
