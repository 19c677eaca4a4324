package dev.pier.addons;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.config.ConfigService;
import dev.pier.datastores.Credentials;
import dev.pier.datastores.Datastore;
import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.Plan;
import dev.pier.datastores.Status;
import dev.pier.datastores.StoreSpec;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.sandbox.NetworkGuard;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, attaches, detaches and destroys add-ons. Every change to an app's attachments changes
 * its config vars through {@link ConfigService} (a new release, rolled out with zero downtime) and
 * the network guard (only attached apps' uids reach an add-on's port). Changes to one add-on are
 * serialised; a create or destroy a kill -9 cut off is undone or finished by {@link #recover}.
 */
public final class AddonService {
  private static final Logger LOG = LoggerFactory.getLogger(AddonService.class);

  /** What the service needs from the rest of the server. */
  public record Deps(AddonStore store, Map<String, Datastore> kinds, AppService apps, ConfigService config,
      AddonPorts ports, NetworkGuard guard, Path addonsDir, boolean ownUids, LogBus logs, InstantSource clock) {}

  /** An add-on with the apps it is attached to. */
  public record Info(Addon addon, List<Addon.Attachment> attachments) {}

  private final Deps d;
  private final AddonNames names;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> appLocks = new ConcurrentHashMap<>();
  private final Object reserving = new Object();
  private final List<java.util.function.Consumer<String>> onDestroy = new java.util.concurrent.CopyOnWriteArrayList<>();

  public AddonService(Deps deps, AddonNames names) {
    this.d = deps;
    this.names = names;
  }

  /** Runs {@code cleanup} with the name of each add-on destroyed (its server, data and row are gone). */
  public void onDestroy(java.util.function.Consumer<String> cleanup) {
    onDestroy.add(cleanup);
  }

  /** The kinds this server offers, with their plans, by kind. */
  public Map<String, List<Plan>> plans() {
    Map<String, List<Plan>> all = new TreeMap<>();
    d.kinds().forEach((kind, ds) -> all.put(kind, ds.plans()));
    return all;
  }

  /** Every add-on with its attachments, by name. */
  public List<Info> all() {
    return d.store().all().stream().map(a -> new Info(a, d.store().attachmentsOf(a.name()))).toList();
  }

  /** The add-ons attached to {@code app}, with all their attachments, oldest attachment first. */
  public List<Info> of(AppName app) {
    List<Info> all = new ArrayList<>();
    for (Addon.Attachment at : d.store().attachedTo(app.value())) {
      d.store().find(at.addon()).ifPresent(a -> all.add(new Info(a, d.store().attachmentsOf(a.name()))));
    }
    return all;
  }

  /** The add-on called {@code name}, or a 404. */
  public Info info(String name) {
    Addon a = find(name);
    return new Info(a, d.store().attachmentsOf(name));
  }

  /** What the add-on's server is doing now. */
  public Status status(Addon a) {
    Datastore ds = d.kinds().get(a.kind());
    if (ds == null || a.credentials() == null) {
      return new Status("stopped", -1, -1, -1, -1, "", 0, ds == null ? "this server does not run " + a.kind() : "");
    }
    return ds.status(spec(a, ds), a.credentials());
  }

  /**
   * The storage the add-on's plan allows ({@code bytes}, 0 for kinds without disk data) and
   * whether this server enforces it (a disk of the add-on's own; not on hosts without loop disks).
   */
  public record Storage(long bytes, boolean enforced) {}

  /** What {@link Storage} the add-on has. */
  public Storage storage(Addon a) {
    Datastore ds = d.kinds().get(a.kind());
    if (ds == null) return new Storage(0, false);
    Plan plan = spec(a, ds).plan();
    return new Storage(plan.storageBytes(), ds.storageCapped(plan));
  }

  /** The config var names {@code attachment} gives its app. */
  public List<String> varNames(Addon a, Addon.Attachment attachment) {
    return a.credentials() == null ? List.of() : List.copyOf(vars(a, attachment.alias()).keySet());
  }

  /**
   * Creates an add-on of {@code kind} for {@code app} and attaches it: its server is made and
   * running, and the app has its config vars (a new release) when this returns. On any failure
   * nothing of it is left.
   */
  public Info create(AppName appName, String kind, String planName, String as, String user) {
    App app = d.apps().get(appName);
    Datastore ds = d.kinds().get(kind == null ? "" : kind);
    if (ds == null) {
      throw PlatformException.invalid("unknown add-on kind '" + printable(kind) + "': use one of "
          + String.join(", ", plans().keySet()));
    }
    Plan plan = plan(ds, planName);
    Addon addon = reserve(app, ds, plan, as);
    ReentrantLock lock = lock(addon.name());
    try {
      d.logs().platform(app.name().value(), "api", "Creating add-on " + addon.name() + " (" + kind + ":"
          + plan.name() + ") by " + user);
      StoreSpec spec = spec(addon, ds);
      try {
        // Guarded before anything listens on it: a create may run the server already (initdb).
        d.guard().guardPort(addon.port(), addon.uid());
        Credentials credentials = ds.create(spec);
        d.store().setCredentials(addon.name(), credentials);
        addon = addon.withCredentials(credentials);
        ds.start(spec, credentials);
        attachTo(addon, app, user);
        d.store().setState(addon.name(), Addon.READY);
      } catch (DatastoreException e) {
        undoCreate(addon, ds);
        throw new PlatformException(Problem.INTERNAL, "could not create add-on " + addon.name() + ": " + e.getMessage());
      } catch (RuntimeException e) {
        undoCreate(addon, ds);
        throw e;
      }
      return info(addon.name());
    } finally {
      lock.unlock();
    }
  }

  /** Attaches the add-on {@code name} to {@code app} too (shared): the app gets its config vars. */
  public Info attach(String name, AppName appName, String user) {
    App app = d.apps().get(appName);
    ReentrantLock lock = lock(name);
    try {
      Addon a = ready(name);
      attachTo(a, app, user);
      return info(name);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Detaches {@code name} from {@code app}: its vars are removed with a new release, then its
   * uid can no longer reach the add-on. The last attachment cannot go (destroy the add-on).
   */
  public void detach(String name, AppName appName, String user) {
    App app = d.apps().get(appName);
    ReentrantLock lock = lock(name);
    try {
      Addon a = find(name);
      List<Addon.Attachment> attachments = d.store().attachmentsOf(name);
      Addon.Attachment at = attachments.stream().filter(x -> x.app().equals(app.name().value())).findFirst()
          .orElseThrow(() -> PlatformException.notFound(name + " is not attached to " + app.name()));
      if (attachments.size() == 1) {
        throw PlatformException.conflict(name + " is attached to " + app.name() + " only: destroy it instead"
            + " (pier addons:destroy " + name + " --confirm " + a.ownerApp() + ")");
      }
      removeVars(a, at, app, user);
      d.store().detach(name, app.name().value());
      d.guard().revoke(app.uid(), a.port());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Destroys {@code name}: {@code confirm} must be its app's name; an add-on attached to other
   * apps is refused unless {@code force}. Every attached app loses its vars (a new release each),
   * then the server and its data are deleted.
   */
  public void destroy(String name, String confirm, boolean force, String user) {
    ReentrantLock lock = lock(name);
    try {
      Addon a = find(name);
      if (!a.ownerApp().equals(confirm)) {
        throw PlatformException.invalid("destroying " + name + " deletes its data: confirm with --confirm "
            + a.ownerApp());
      }
      List<String> others = d.store().attachmentsOf(name).stream().map(Addon.Attachment::app)
          .filter(app -> !app.equals(a.ownerApp())).toList();
      if (!others.isEmpty() && !force) {
        throw PlatformException.conflict(name + " is also attached to " + String.join(", ", others)
            + ": detach it there first, or destroy it anyway with --force");
      }
      d.store().setState(name, Addon.DESTROYING);
      finishDestroy(a.withState(Addon.DESTROYING), user);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives the add-on a new password without a failed request: the new password is added beside
   * the old one ({@link Datastore#addPassword}), every attached app gets the new vars in a new
   * release rolled out without downtime (as config:set, which returns once the old instances are
   * drained and stopped), and only then is the old password retired ({@link
   * Datastore#retirePassword}). If a rollout fails, the old password stays valid too.
   */
  public Info rotate(String name, String user) {
    ReentrantLock lock = lock(name);
    try {
      Addon a = ready(name);
      Datastore ds = datastore(a);
      Credentials next;
      try {
        next = ds.addPassword(spec(a, ds), a.credentials());
      } catch (DatastoreException e) {
        throw new PlatformException(Problem.INTERNAL, "could not rotate the credentials of " + name + ": " + e.getMessage());
      }
      d.store().setCredentials(name, next);
      Addon rotated = a.withCredentials(next);
      for (Addon.Attachment at : d.store().attachmentsOf(name)) {
        app(at.app()).ifPresent(app -> {
          try {
            d.config().update(app, vars(rotated, at.alias()), user);
          } catch (Exception e) {
            throw rethrow(e);
          }
          d.logs().platform(app.name().value(), "api", "Rotated the credentials of " + name + " by " + user);
        });
      }
      try {
        ds.retirePassword(spec(a, ds), a.credentials(), next);
      } catch (DatastoreException e) {
        throw new PlatformException(Problem.INTERNAL, "the apps of " + name + " use its new password, but the old one "
            + "could not be retired: " + e.getMessage() + "; run addons:rotate again");
      }
      return info(name);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Puts right what a kill -9 left, before the API serves: a create that did not finish is
   * undone (its vars removed, its server and data deleted), a destroy is finished; every ready
   * add-on's server is started and its port guarded again, admitting its apps' uids.
   */
  public void recover() {
    for (Addon a : d.store().all()) {
      Datastore ds = d.kinds().get(a.kind());
      try {
        switch (a.state()) {
          case Addon.CREATING -> {
            LOG.info("undoing the create of add-on {} a stop cut off", a.name());
            if (ds != null) undoCreate(a, ds);
          }
          case Addon.DESTROYING -> {
            LOG.info("finishing the destroy of add-on {}", a.name());
            if (ds != null) finishDestroy(a, "pier");
          }
          default -> {
            if (ds == null) {
              LOG.warn("add-on {} is of kind {}, which this server does not run", a.name(), a.kind());
              continue;
            }
            d.guard().guardPort(a.port(), a.uid());
            for (Addon.Attachment at : d.store().attachmentsOf(a.name())) {
              app(at.app()).ifPresent(app -> d.guard().admit(app.uid(), a.port()));
            }
            ds.start(spec(a, ds), a.credentials());
          }
        }
      } catch (Exception e) {
        LOG.warn("add-on {}: {}", a.name(), e.getMessage());
      }
    }
  }

  /**
   * An app is gone (its attachments went with its rows): the add-ons it owned are destroyed, or
   * handed to the app attached longest when others use them, and its uid is no longer admitted to
   * any add-on's port.
   */
  public void appDestroyed(App gone) {
    String app = gone.name().value();
    for (Addon a : d.store().all()) {
      if (!a.ownerApp().equals(app)) {
        // Its attachment rows are gone: which add-ons it used is no longer known. Under the
        // add-on's lock, so an attach of the app still in flight cannot admit it afterwards.
        ReentrantLock lock = lock(a.name());
        try {
          d.guard().revoke(gone.uid(), a.port());
        } finally {
          lock.unlock();
        }
        continue;
      }
      ReentrantLock lock = lock(a.name());
      try {
        List<Addon.Attachment> left = d.store().attachmentsOf(a.name());
        if (left.isEmpty()) {
          d.store().setState(a.name(), Addon.DESTROYING);
          finishDestroy(a, "pier");
        } else {
          d.store().setOwner(a.name(), left.getFirst().app());
          d.guard().revoke(gone.uid(), a.port());
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private void attachTo(Addon a, App app, String user) {
    String alias;
    // Per app: two add-ons attached at once must not both pick the free alias (DATABASE).
    ReentrantLock appLock = appLocks.computeIfAbsent(app.name().value(), n -> new ReentrantLock());
    appLock.lock();
    try {
      Set<String> taken = new HashSet<>();
      for (Addon.Attachment at : d.store().attachedTo(app.name().value())) taken.add(at.alias());
      alias = AddonNames.alias(a.kind(), a.name(), taken);
      if (!d.store().attach(a.name(), app.name().value(), alias, d.clock().instant())) {
        throw PlatformException.conflict(a.name() + " is already attached to " + app.name());
      }
    } finally {
      appLock.unlock();
    }
    d.guard().admit(app.uid(), a.port());
    try {
      d.config().update(app, vars(a, alias), user);
    } catch (Exception e) {
      d.store().detach(a.name(), app.name().value());
      d.guard().revoke(app.uid(), a.port());
      throw rethrow(e);
    }
    d.logs().platform(app.name().value(), "api", "Attached " + a.name() + " as " + alias + " by " + user);
  }

  private void removeVars(Addon a, Addon.Attachment at, App app, String user) {
    if (a.credentials() == null) return;
    Map<String, String> current = d.config().get(app);
    Map<String, String> unset = new LinkedHashMap<>();
    vars(a, at.alias()).forEach((k, v) -> {
      if (v.equals(current.get(k))) unset.put(k, null);
    });
    if (unset.isEmpty()) return;
    try {
      d.config().update(app, unset, user);
    } catch (Exception e) {
      throw rethrow(e);
    }
  }

  private void undoCreate(Addon a, Datastore ds) {
    for (Addon.Attachment at : d.store().attachmentsOf(a.name())) {
      app(at.app()).ifPresent(app -> {
        try {
          removeVars(a, at, app, "pier");
        } catch (RuntimeException e) {
          LOG.warn("removing the vars of {} from {} failed: {}", a.name(), app.name(), e.getMessage());
        }
        d.guard().revoke(app.uid(), a.port());
      });
      d.store().detach(a.name(), at.app());
    }
    deleteServer(a, ds);
  }

  private void finishDestroy(Addon a, String user) {
    for (Addon.Attachment at : d.store().attachmentsOf(a.name())) {
      app(at.app()).ifPresent(app -> {
        removeVars(a, at, app, user);
        d.guard().revoke(app.uid(), a.port());
      });
      d.store().detach(a.name(), at.app());
      d.logs().platform(at.app(), "api", "Detached " + a.name() + " by " + user);
    }
    Datastore ds = d.kinds().get(a.kind());
    if (ds != null) deleteServer(a, ds);
    else d.store().delete(a.name());
  }

  /** Stops and deletes the server and its data, then the row (a kill -9 before that redoes it). */
  private void deleteServer(Addon a, Datastore ds) {
    d.guard().unguard(a.port());
    try {
      ds.stop(a.name());
      ds.destroy(spec(a, ds));
    } catch (DatastoreException e) {
      throw new PlatformException(Problem.INTERNAL, "could not delete add-on " + a.name() + ": " + e.getMessage());
    }
    d.store().delete(a.name());
    for (var cleanup : onDestroy) cleanup.accept(a.name());
  }

  private Addon reserve(App app, Datastore ds, Plan plan, String as) {
    synchronized (reserving) {
      String name;
      if (as != null) {
        name = AddonNames.validate(as);
        if (d.store().find(name).isPresent()) throw PlatformException.conflict("the add-on name " + name + " is already used");
      } else {
        do name = names.generate(ds.kind()); while (d.store().find(name).isPresent());
      }
      int port = d.ports().pick(d.store().ports());
      int uid = d.ownUids() ? d.store().nextUid() : -1;
      Addon a = new Addon(name, ds.kind(), plan.name(), port, uid, Addon.CREATING, app.name().value(), null,
          d.clock().instant());
      if (!d.store().insert(a)) throw PlatformException.conflict("the add-on name " + name + " is already used");
      return a;
    }
  }

  private static Plan plan(Datastore ds, String planName) {
    if (planName == null || planName.isBlank()) return ds.plans().getFirst();
    return ds.plans().stream().filter(p -> p.name().equals(planName)).findFirst()
        .orElseThrow(() -> PlatformException.invalid("unknown plan '" + printable(planName) + "' of " + ds.kind()
            + ": use one of " + String.join(", ", ds.plans().stream().map(Plan::name).toList())));
  }

  private Datastore datastore(Addon a) {
    Datastore ds = d.kinds().get(a.kind());
    if (ds == null) throw PlatformException.conflict("this server does not run " + a.kind() + " add-ons");
    return ds;
  }

  private Map<String, String> vars(Addon a, String alias) {
    Datastore ds = d.kinds().get(a.kind());
    if (ds == null || a.credentials() == null) return Map.of();
    return AddonNames.vars(alias, ds.configVars(a.credentials()));
  }

  StoreSpec spec(Addon a, Datastore ds) {
    Plan plan = ds.plans().stream().filter(p -> p.name().equals(a.plan())).findFirst().orElse(ds.plans().getFirst());
    return new StoreSpec(a.name(), a.kind(), plan, a.port(), a.uid(), d.addonsDir().resolve(a.name()));
  }

  private Addon find(String name) {
    return d.store().find(name).orElseThrow(() -> PlatformException.notFound("no add-on named " + printable(name)));
  }

  private Addon ready(String name) {
    Addon a = find(name);
    if (!a.state().equals(Addon.READY)) throw PlatformException.conflict(name + " is " + a.state() + ", not ready");
    return a;
  }

  private java.util.Optional<App> app(String name) {
    return d.apps().list().stream().filter(a -> a.name().value().equals(name)).findFirst();
  }

  private ReentrantLock lock(String name) {
    ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
    lock.lock();
    return lock;
  }

  private static RuntimeException rethrow(Exception e) {
    if (e instanceof RuntimeException r) return r;
    if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    return new PlatformException(Problem.INTERNAL, e.getMessage());
  }

  private static String printable(String s) {
    return String.valueOf(s).replaceAll("[^\\x20-\\x7e]", "?");
  }
}
