package dev.pier.runtime.local;

import dev.pier.sandbox.Cgroups;
import dev.pier.runtime.InstanceListener;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.ResourceUsage;
import dev.pier.runtime.RuntimeBackend;
import dev.pier.sandbox.Disks;
import dev.pier.sandbox.NetworkGuard;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Runs instances as sandboxed processes on this machine: each in a fresh copy of its slug under
 * {@code runDir/APP/NAME/app} (bound at {@code /app}; a disk of its own, {@code app.img}, when the
 * spec has a quota and the backend has {@link Disks}), as the app's uid, in its own cgroup with a
 * memory, pid and (when the spec has one) CPU limit, listening on a loopback port of its own. One
 * {@link InstanceSupervisor} per instance restarts a service after crashes with backoff until it
 * is stopped, and keeps a finished task listed as COMPLETED until it is stopped.
 *
 * <p>{@code runDir} and its ancestors must be searchable by the app uids (mode {@code o+x}): the
 * sandbox is set up as the app user. The constructor adds {@code o+x} to {@code runDir} itself.
 *
 * <p>Thread-safe: {@code start}, {@code stop} and {@code list} may be called concurrently.
 */
public final class LocalRuntimeBackend implements RuntimeBackend {
  /**
   * Tunables of the backend.
   *
   * @param cgroups where instance cgroups go ({@link Cgroups#none()} to run without limits)
   * @param ports the loopback ports instances get
   * @param restartPolicy backoff between restarts of a crashing instance
   * @param bootTimeout how long a web service may take to accept connections before it is
   *     killed and counted as crashed, unless its spec has a {@code bootTimeout} of its own
   * @param network confines instances' uids so they cannot reach other instances' ports or the
   *     platform's on this machine, only their own ({@link NetworkGuard#NONE} to leave it open)
   * @param disks makes each instance's {@code /app} a disk of its {@link
   *     dev.pier.runtime.DiskQuota#appBytes()} ({@link Disks#NONE}: plain directories, uncapped)
   */
  public record Options(
      Cgroups cgroups, PortAllocator ports, RestartPolicy restartPolicy, Duration bootTimeout,
      NetworkGuard network, Disks disks) {
    public Options {
      Objects.requireNonNull(cgroups, "cgroups");
      Objects.requireNonNull(ports, "ports");
      Objects.requireNonNull(restartPolicy, "restartPolicy");
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(disks, "disks");
      if (bootTimeout.isNegative() || bootTimeout.isZero()) {
        throw new IllegalArgumentException("boot timeout must be positive");
      }
    }

    /** Options with uncapped {@code /app} directories. */
    public Options(
        Cgroups cgroups, PortAllocator ports, RestartPolicy restartPolicy, Duration bootTimeout,
        NetworkGuard network) {
      this(cgroups, ports, restartPolicy, bootTimeout, network, Disks.NONE);
    }

    /** These options with other disks. */
    public Options withDisks(Disks newDisks) {
      return new Options(cgroups, ports, restartPolicy, bootTimeout, network, newDisks);
    }

    /** Options without a network guard. */
    public Options(Cgroups cgroups, PortAllocator ports, RestartPolicy restartPolicy, Duration bootTimeout) {
      this(cgroups, ports, restartPolicy, bootTimeout, NetworkGuard.NONE);
    }

    /** Cgroups under {@code pier}, ports 20000-29999, the default backoff, 60 s to boot. */
    public static Options defaults() {
      return new Options(
          Cgroups.detect("pier"), PortAllocator.defaultRange(), RestartPolicy.DEFAULT,
          Duration.ofSeconds(60));
    }
  }

  private final RuntimeContext ctx;
  private final ConcurrentMap<String, InstanceSupervisor> instances = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public LocalRuntimeBackend(
      Path runDir, Sandbox sandbox, InstanceListener listener, InstantSource clock) {
    this(runDir, sandbox, listener, clock, Options.defaults());
  }

  public LocalRuntimeBackend(
      Path runDir, Sandbox sandbox, InstanceListener listener, InstantSource clock, Options options) {
    Objects.requireNonNull(sandbox, "sandbox");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(clock, "clock");
    try {
      Files.createDirectories(runDir);
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(runDir);
      if (perms.add(PosixFilePermission.OTHERS_EXECUTE) | perms.add(PosixFilePermission.GROUP_EXECUTE)) {
        Files.setPosixFilePermissions(runDir, perms);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use run directory " + runDir, e);
    }
    // Nothing of this backend runs yet: whatever is left is from a run that died uncleanly (and
    // cgroups of other servers that died so are removed too).
    options.cgroups().reapLeftovers();
    options.disks().reapLeftovers(runDir);
    removeStaleInstanceDirs(runDir);
    this.ctx =
        new RuntimeContext(
            runDir.toAbsolutePath(), sandbox, listener, clock, options.cgroups(), options.ports(),
            options.restartPolicy(), options.bootTimeout(), new Spawner(), options.network(),
            options.disks());
  }

  @Override
  public void start(InstanceSpec spec) {
    InstanceSupervisor fresh = new InstanceSupervisor(spec, ctx);
    InstanceSupervisor[] replaced = new InstanceSupervisor[1];
    instances.compute(
        key(spec.app().value(), spec.id()),
        (k, old) -> {
          if (closed) throw new IllegalStateException("runtime backend is closed");
          replaced[0] = old;
          return fresh;
        });
    fresh.launch(replaced[0]);
  }

  @Override
  public void stop(String app, String instance) {
    String key = key(app, instance);
    InstanceSupervisor supervisor = instances.get(key);
    if (supervisor == null) return;
    supervisor.stop();
    instances.remove(key, supervisor);
  }

  @Override
  public List<InstanceStatus> list(String app) {
    String prefix = app + "/";
    List<InstanceStatus> result = new ArrayList<>();
    instances.forEach(
        (key, supervisor) -> {
          if (key.startsWith(prefix)) result.add(supervisor.status());
        });
    result.sort(
        Comparator.comparing(InstanceStatus::type)
            .thenComparingInt(InstanceStatus::index)
            .thenComparing(InstanceStatus::id));
    return result;
  }

  /** Memory and CPU use of a running instance; empty when unknown, not running or no cgroups. */
  @Override
  public Optional<ResourceUsage> usage(String app, String instance) {
    InstanceSupervisor supervisor = instances.get(key(app, instance));
    return supervisor == null ? Optional.empty() : supervisor.usage();
  }

  /** How long {@link #attach} waits for the task's process to run. */
  static final Duration ATTACH_WAIT = Duration.ofSeconds(30);

  @Override
  public dev.pier.runtime.Attachment attach(String app, String instance) {
    InstanceSupervisor supervisor = instances.get(key(app, instance));
    if (supervisor == null) throw new java.util.NoSuchElementException("no instance " + instance + " of " + app);
    return supervisor.attach(ATTACH_WAIT);
  }

  /** Host pids of a running instance's processes (for tests and diagnostics). */
  Set<Long> pids(String app, String instance) {
    InstanceSupervisor supervisor = instances.get(key(app, instance));
    return supervisor == null ? Set.of() : supervisor.pids();
  }

  @Override
  public void close() {
    closed = true;
    // start() checks `closed` inside compute(); a second pass catches a start racing the flag.
    for (int pass = 0; pass < 2; pass++) {
      List<InstanceSupervisor> all = List.copyOf(instances.values());
      List<Thread> stoppers = new ArrayList<>();
      for (InstanceSupervisor supervisor : all) {
        stoppers.add(Thread.ofVirtual().name("pier-stop").start(supervisor::stop));
      }
      for (Thread t : stoppers) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      all.forEach(s -> instances.remove(key(s.spec().app().value(), s.spec().id()), s));
    }
    ctx.spawner().close();
    ctx.cgroups().release();
  }

  private static void removeStaleInstanceDirs(Path runDir) {
    try (var apps = Files.list(runDir)) {
      for (Path app : apps.toList()) InstanceDirectory.deleteTree(app);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean run directory " + runDir, e);
    }
  }

  private static String key(String app, String instance) {
    return app + "/" + instance;
  }
}
