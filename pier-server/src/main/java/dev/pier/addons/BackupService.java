package dev.pier.addons;

import dev.pier.datastores.Backups;
import dev.pier.datastores.Datastore;
import dev.pier.datastores.DatastoreException;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import dev.pier.logs.LogBus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups of add-ons whose kind has them (PostgreSQL: pg_dump): captured on demand, daily at an
 * add-on's scheduled time (UTC), or just before a release phase; kept in {@code
 * DATA/backups/ADDON/bNNN.dump} (folders 0700, files 0600: readable by root only), the last
 * {@code keep} of them; restored on demand.
 */
public final class BackupService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);
  private static final Pattern AT = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
  private static final Pattern ID = Pattern.compile("b?0*(\\d{1,9})");

  private final AddonStore addons;
  private final BackupStore store;
  private final Map<String, Datastore> kinds;
  private final AddonService service;
  private final Path dir;
  private final LogBus logs;
  private final InstantSource clock;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private volatile Thread scheduler;
  /** When each add-on's scheduled backup last failed: tried again only {@link #RETRY_AFTER} later. */
  private final Map<String, Instant> lastFailure = new ConcurrentHashMap<>();
  static final Duration RETRY_AFTER = Duration.ofHours(1);

  public BackupService(AddonStore addons, BackupStore store, Map<String, Datastore> kinds, AddonService service,
      Path backupsDir, LogBus logs, InstantSource clock) {
    this.addons = addons;
    this.store = store;
    this.kinds = kinds;
    this.service = service;
    this.dir = backupsDir;
    this.logs = logs;
    this.clock = clock;
  }

  /** The add-on's backups, oldest first. */
  public List<BackupStore.Backup> list(String name) {
    find(name);
    return store.of(name);
  }

  public BackupStore.Schedule schedule(String name) {
    find(name);
    return store.schedule(name);
  }

  /** Backs {@code name} up now; returns the finished backup. {@code release} names the release it was taken for, or null. */
  public BackupStore.Backup capture(String name, String trigger, Integer release, String user) {
    return capture(name, trigger, release, null, user);
  }

  /** {@link #capture(String, String, Integer, String)} for a release of {@code app} (a snapshot). */
  public BackupStore.Backup capture(String name, String trigger, Integer release, String app, String user) {
    Addon a = find(name);
    Backups backups = backups(a);
    ReentrantLock lock = lock(name);
    try {
      BackupStore.Backup b = store.start(name, trigger, release, app, clock.instant());
      Path file = file(b);
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      try {
        privateFolder(dir);
        privateFolder(file.getParent());
        // Made 0600 before the dump writes into it (pg_dump runs as root with umask 022).
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        long size = backups.capture(service.spec(a, kinds.get(a.kind())), a.credentials(), partial);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        store.done(name, b.number(), size);
      } catch (DatastoreException | IOException e) {
        deleteQuietly(partial);
        store.delete(name, b.number());
        throw new PlatformException(Problem.INTERNAL, "could not back up " + name + ": " + e.getMessage());
      }
      logs.platform(a.ownerApp(), "api", "Captured backup " + b.id() + " of " + name + " (" + trigger + ") by " + user);
      prune(name);
      return store.find(name, b.number()).orElseThrow();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces {@code name}'s data with backup {@code id} ({@code b003} or {@code 3}; the newest
   * when null); {@code confirm} must be the add-on's app.
   */
  public BackupStore.Backup restore(String name, String id, String confirm, String user) {
    Addon a = find(name);
    if (!a.ownerApp().equals(confirm)) {
      throw PlatformException.invalid("restoring a backup replaces the data of " + name + ": confirm with --confirm "
          + a.ownerApp());
    }
    Backups backups = backups(a);
    ReentrantLock lock = lock(name);
    try {
      BackupStore.Backup b = backup(name, id);
      try {
        backups.restore(service.spec(a, kinds.get(a.kind())), a.credentials(), file(b));
      } catch (DatastoreException e) {
        throw new PlatformException(Problem.INTERNAL, "could not restore " + b.id() + " to " + name + ": " + e.getMessage());
      }
      logs.platform(a.ownerApp(), "api", "Restored backup " + b.id() + " to " + name + " by " + user);
      return b;
    } finally {
      lock.unlock();
    }
  }

  /** The done backup {@code id} of {@code name} (the newest when null), or a 404. */
  public BackupStore.Backup backup(String name, String id) {
    List<BackupStore.Backup> done = store.of(name).stream().filter(b -> b.state().equals("done")).toList();
    if (id == null || id.isBlank()) {
      if (done.isEmpty()) throw PlatformException.notFound(name + " has no backups yet");
      return done.getLast();
    }
    var m = ID.matcher(id.trim().toLowerCase());
    if (!m.matches()) throw PlatformException.invalid("invalid backup id '" + id.replaceAll("[^\\x20-\\x7e]", "?") + "': use b001");
    int number = Integer.parseInt(m.group(1));
    return done.stream().filter(b -> b.number() == number).findFirst()
        .orElseThrow(() -> PlatformException.notFound("no backup " + "b" + String.format("%03d", number) + " of " + name));
  }

  /** Backs {@code name} up daily at {@code at} (HH:MM UTC; null: no more) and keeps the last {@code keep}. */
  public BackupStore.Schedule setSchedule(String name, String at, Integer keep) {
    Addon a = find(name);
    backups(a);
    if (at != null && !AT.matcher(at).matches()) {
      throw PlatformException.invalid("invalid time '" + at.replaceAll("[^\\x20-\\x7e]", "?") + "': use HH:MM (UTC), e.g. 02:00");
    }
    BackupStore.Schedule current = store.schedule(name);
    int k = keep == null ? current.keep() : keep;
    if (k < 1 || k > 100) throw PlatformException.invalid("keep must be from 1 to 100, got " + k);
    BackupStore.Schedule s = new BackupStore.Schedule(at, k);
    store.setSchedule(name, s);
    prune(name);
    return s;
  }

  /**
   * For {@code pier rollback vN --with-data}: restores each PostgreSQL add-on of {@code app} from
   * the snapshot taken before the first release phase after vN (the data as vN's code left it).
   * Every snapshot is found before any is restored.
   */
  public void restoreForRollback(java.util.List<AddonService.Info> appAddons, String app, int version, String user) {
    java.util.List<BackupStore.Backup> snapshots = new java.util.ArrayList<>();
    for (AddonService.Info i : appAddons) {
      if (!i.addon().kind().equals("postgres")) continue;
      String name = i.addon().name();
      if (!i.addon().ownerApp().equals(app)) {
        logs.platform(app, "api", "Rollback with data leaves " + name + " as it is: it belongs to " + i.addon().ownerApp());
        continue;
      }
      snapshots.add(store.of(name).stream()
          .filter(b -> b.state().equals("done") && b.trigger().equals("release") && b.release() != null
              && b.release() > version && app.equals(b.app()))
          .min(java.util.Comparator.comparingInt(BackupStore.Backup::release))
          .orElseThrow(() -> PlatformException.conflict("no snapshot of " + name + " was taken after v" + version
              + " (they are taken before release phases, and only the last " + store.schedule(name).keep()
              + " backups are kept): roll back without --with-data")));
    }
    if (snapshots.isEmpty()) {
      throw PlatformException.invalid(app + " has no PostgreSQL add-on of its own: roll back without --with-data");
    }
    for (BackupStore.Backup b : snapshots) restore(b.addon(), b.id(), app, user);
  }

  /** Removes what a kill -9 left of captures under way (rows and partial files). */
  public void recover() {
    for (Addon a : addons.all()) {
      for (BackupStore.Backup b : store.of(a.name())) {
        if (!b.state().equals("capturing")) continue;
        deleteQuietly(file(b).resolveSibling(file(b).getFileName() + ".partial"));
        store.delete(a.name(), b.number());
      }
    }
  }

  /** Captures the scheduled backups due now: today's time has passed and none was made since. */
  public void runDue() {
    Instant now = clock.instant();
    for (Addon a : addons.all()) {
      if (!a.state().equals(Addon.READY)) continue;
      String at = store.schedule(a.name()).at();
      if (at == null) continue;
      Instant due = now.atZone(ZoneOffset.UTC).toLocalDate().atTime(LocalTime.parse(at)).toInstant(ZoneOffset.UTC);
      if (now.isBefore(due)) continue;
      boolean made = store.of(a.name()).stream()
          .anyMatch(b -> b.trigger().equals("scheduled") && !b.createdAt().isBefore(due));
      if (made) continue;
      Instant failed = lastFailure.get(a.name());
      if (failed != null && !failed.isBefore(due) && now.isBefore(failed.plus(RETRY_AFTER))) continue;
      try {
        capture(a.name(), "scheduled", null, "pier");
        lastFailure.remove(a.name());
      } catch (RuntimeException e) {
        lastFailure.put(a.name(), now);
        LOG.warn("scheduled backup of {} failed: {}", a.name(), e.getMessage());
        logs.platform(a.ownerApp(), "api", "Scheduled backup of " + a.name() + " failed: " + e.getMessage());
      }
    }
  }

  /** Checks for due scheduled backups every {@code every}. */
  public BackupService start(Duration every) {
    scheduler = Thread.ofVirtual().name("addon-backups").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(every);
          runDue();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          LOG.warn("scheduled backups: {}", e.getMessage());
        }
      }
    });
    return this;
  }

  @Override
  public void close() {
    Thread t = scheduler;
    if (t != null) t.interrupt();
  }

  /**
   * Deletes the files and rows of all but the last {@code keep} finished backups, counting release
   * snapshots apart from manual and scheduled backups (many deploys do not push those out).
   */
  private void prune(String name) {
    int keep = store.schedule(name).keep();
    List<BackupStore.Backup> done = store.of(name).stream().filter(b -> b.state().equals("done")).toList();
    for (boolean snapshots : new boolean[] {true, false}) {
      List<BackupStore.Backup> group = done.stream().filter(b -> b.trigger().equals("release") == snapshots).toList();
      for (int i = 0; i < group.size() - keep; i++) {
        deleteQuietly(file(group.get(i)));
        store.delete(name, group.get(i).number());
      }
    }
  }

  /** Makes {@code folder} (0700, root's only: backups hold every row of an app) or tightens it. */
  private static void privateFolder(Path folder) throws IOException {
    var mode = PosixFilePermissions.fromString("rwx------");
    Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(mode));
    Files.setPosixFilePermissions(folder, mode);
  }

  private Path file(BackupStore.Backup b) {
    return dir.resolve(b.addon()).resolve(b.id() + ".dump");
  }

  private Addon find(String name) {
    Addon a = addons.find(name).orElseThrow(() -> PlatformException.notFound("no add-on named " + name));
    if (!a.state().equals(Addon.READY)) throw PlatformException.conflict(name + " is " + a.state() + ", not ready");
    return a;
  }

  private Backups backups(Addon a) {
    Datastore ds = kinds.get(a.kind());
    if (ds == null || ds.backups().isEmpty()) throw PlatformException.invalid(a.kind() + " add-ons have no backups");
    return ds.backups().get();
  }

  private ReentrantLock lock(String name) {
    ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
    lock.lock();
    return lock;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", p, e.getMessage());
    }
  }

  /** Deletes every backup file of {@code name} (the add-on is destroyed; its rows went with it). */
  public void forget(String name) {
    dev.pier.store.DataDirs.deleteTree(dir.resolve(name));
  }
}
