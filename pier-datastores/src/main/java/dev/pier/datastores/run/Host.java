package dev.pier.datastores.run;

import dev.pier.datastores.StoreSpec;
import dev.pier.sandbox.AppUser;
import dev.pier.sandbox.Cgroup;
import dev.pier.sandbox.CgroupLimits;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Disks;
import dev.pier.sandbox.Mount;
import dev.pier.sandbox.Sandbox;
import dev.pier.sandbox.SandboxLaunch;
import dev.pier.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Where add-on servers run: in Pier's sandbox (bubblewrap, own uid, no capabilities) and a cgroup
 * of their own ({@code addon-NAME}, limited to the plan's memory). Processes are started from one
 * long-lived thread with bwrap's {@code --die-with-parent}, so a server dies with Pier even when
 * Pier is killed with SIGKILL; the cgroup (emptied when it is made again) catches the rest.
 * Servers see the host name {@link #HOSTNAME}.
 */
public final class Host implements AutoCloseable {
  private static final String PATH = "/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";

  /**
   * The host name servers see (their own UTS namespace): memcached's SASL realm is its host name,
   * so the sasldb keeps working when the machine is renamed.
   */
  public static final String HOSTNAME = "pier-addon";

  private final Sandbox sandbox;
  private final Cgroups cgroups;
  private final Disks disks;
  private final ExecutorService spawner =
      Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pier-datastores-spawner");
        t.setDaemon(true);
        return t;
      });

  /** With the host's loop disks when it can make them ({@link Disks#detect()}). */
  public Host(Sandbox sandbox, Cgroups cgroups) {
    this(sandbox, cgroups, Disks.detect());
  }

  /**
   * @param disks where each add-on's folder gets its disk, of its plan's storage ({@link
   *     Disks#keep}); {@link Disks#NONE} leaves the storage uncapped
   */
  public Host(Sandbox sandbox, Cgroups cgroups, Disks disks) {
    this.sandbox = sandbox;
    this.cgroups = cgroups;
    this.disks = disks;
  }

  /** Where add-on folders get their disks. */
  public Disks disks() {
    return disks;
  }

  /** The add-on's cgroup, made anew (killing what an earlier run left in it); null without cgroups. */
  public Cgroup cgroup(StoreSpec spec) {
    long memory = spec.plan().memoryBytes();
    // Threads count too: PostgreSQL forks a backend per connection, Erlang runs dozens of threads.
    int pids = Math.max(512, spec.plan().maxConnections() * 2 + 128);
    return cgroups.create("addon-" + spec.name(), new CgroupLimits(memory, pids, 0));
  }

  /** Removes the add-on's cgroup and kills what is left in it (the add-on is destroyed). */
  public void removeCgroup(StoreSpec spec) {
    cgroups.remove("addon-" + spec.name());
  }

  /** Starts {@code launch} for the add-on in its sandbox, joining {@code cgroup} when not null. */
  public Process start(StoreSpec spec, ServerLaunch launch, Cgroup cgroup, Path log) throws IOException {
    SandboxLaunch sandboxed = launch(spec, launch, cgroup);
    ProcessBuilder builder = sandboxed.builder();
    builder.environment().clear();
    builder.environment().put("PATH", PATH);
    builder.directory(spec.dataDir().toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Future<Process> started = spawner.submit(sandboxed::start);
    try {
      return started.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting " + launch.processName());
    }
  }

  /** Runs a one-off command (initdb) in the add-on's sandbox and waits for it. */
  public Commands.Result run(StoreSpec spec, ServerLaunch launch, java.time.Duration timeout)
      throws dev.pier.datastores.DatastoreException {
    SandboxLaunch sandboxed = launch(spec, launch, null);
    sandboxed.builder().environment().put("PATH", PATH);
    return Commands.run(launch.processName(), sandboxed, null, timeout);
  }

  SandboxLaunch launch(StoreSpec spec, ServerLaunch launch, Cgroup cgroup) {
    Map<String, String> env = new HashMap<>(launch.env());
    env.putIfAbsent("HOME", "/app");
    env.putIfAbsent("PATH", PATH);
    env.putIfAbsent("LANG", "C.UTF-8");
    AppUser user = spec.uid() > 0 ? new AppUser(spec.uid(), spec.uid()) : null;
    SandboxSpec sandboxed = new SandboxSpec(
        user,
        spec.dataDir(),
        java.util.stream.Stream.concat(java.util.stream.Stream.of(
            Mount.readOnly(spec.dataDir().resolve("passwd"), "/etc/passwd"),
            Mount.readOnly(spec.dataDir().resolve("group"), "/etc/group")), launch.mounts().stream()).toList(),
        env,
        launch.command(),
        cgroup == null ? List.of() : cgroup.procsFiles());
    SandboxLaunch prepared = sandbox.launch(sandboxed);
    List<String> argv = prepared.builder().command();
    int bwrap = argv.indexOf("--unshare-all");
    if (bwrap > 0) {
      argv.addAll(bwrap, List.of("--die-with-parent", "--hostname", HOSTNAME));
    }
    return prepared;
  }

  @Override
  public void close() {
    spawner.shutdown();
  }
}
