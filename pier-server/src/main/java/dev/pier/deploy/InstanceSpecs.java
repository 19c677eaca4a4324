package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.app.AppStore;
import dev.pier.control.Slot;
import dev.pier.control.SpecSource;
import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.runtime.InstanceSpec;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds what the runtime starts for a slot: the release's slug and command, the cached Node.js
 * its slug names (mounted read-only, {@link dev.pier.runtimes.NodeRuntimes}), its config vars plus
 * what Pier tells every instance about itself, the app's uid and readiness path, and the limits:
 * the type's {@link InstanceSize} when one is set, else the operator's memory limit and no CPU
 * quota.
 */
public final class InstanceSpecs implements SpecSource {
  private final AppStore apps;
  private final ReleaseStore releases;
  private final FormationStore formations;
  private final ProcessManager.Limits limits;

  public InstanceSpecs(
      AppStore apps, ReleaseStore releases, FormationStore formations, ProcessManager.Limits limits) {
    this.apps = apps;
    this.releases = releases;
    this.formations = formations;
    this.limits = limits;
  }

  @Override
  public Optional<InstanceSpec> spec(String appName, Slot slot, int generation) {
    AppName name = new AppName(appName);
    Optional<App> app = apps.find(name);
    if (app.isEmpty()) return Optional.empty();
    Optional<Release> found = releases.find(name, slot.version());
    if (found.isEmpty()) return Optional.empty();
    Release release = found.get();
    String command = release.processes().get(slot.type());
    if (command == null || release.slug() == null || !Files.exists(release.slug())) return Optional.empty();
    App a = app.get();
    String sizeName = formations.sizes(name).get(slot.type());
    InstanceSize size = sizeName == null ? null : InstanceSize.parse(sizeName);
    InstanceSpec spec = new InstanceSpec(
        a.name(), ProcessType.of(slot.type()), slot.index(), release.version(), release.slug(),
        command, envFor(a, release), limits.dropPrivileges() ? a.user() : null,
        size == null ? limits.memoryLimitBytes() : size.memoryBytes(), limits.stopGrace(), generation,
        a.readinessPath() != null ? a.readinessPath() : release.readinessPath(), limits.disk());
    if (size != null) spec = spec.withCpus(size.cpus());
    spec = spec.withRuntimeMounts(limits.nodeRuntimes().mounts(release.slug()));
    Optional<Integer> boot = apps.bootTimeoutSeconds(name);
    if (boot.isPresent() && slot.type().equals("web")) spec = spec.withBootTimeout(java.time.Duration.ofSeconds(boot.get()));
    // app.yaml liveness_check and readiness_check.check_interval_sec, read from the slug.
    if (slot.type().equals("web")) spec = spec.withProbes(dev.pier.statics.SlugAppYaml.probes(release.slug()));
    return Optional.of(spec);
  }

  // --- One-off processes (pier run, scheduled jobs) ------------------------------------------

  /**
   * A task running {@code command} in {@code release} of {@code app} as {@code TYPE.INDEX}
   * ({@code run.3}): the release's slug and config vars, the app's uid and disk quota, and the
   * limits of {@code size} (null: the operator's memory limit and no CPU quota). Its output goes
   * to the logs unless it is made {@link InstanceSpec#withInteractive interactive}.
   */
  public InstanceSpec oneOff(App app, Release release, String type, int index, String command, InstanceSize size) {
    if (release.slug() == null || !Files.exists(release.slug())) {
      throw dev.pier.errors.PlatformException.conflict(
          "release v" + release.version() + " of '" + app.name() + "' has no slug to run");
    }
    InstanceSpec spec = new InstanceSpec(
        app.name(), ProcessType.of(type), index, release.version(), release.slug(), command,
        envFor(app, release), limits.dropPrivileges() ? app.user() : null,
        size == null ? limits.memoryLimitBytes() : size.memoryBytes(), limits.stopGrace(), 0, null,
        limits.disk()).withTask().withRuntimeMounts(limits.nodeRuntimes().mounts(release.slug()));
    return size == null ? spec : spec.withCpus(size.cpus());
  }

  /** Config vars plus what Pier tells every instance about itself. */
  static Map<String, String> envFor(App app, Release release) {
    Map<String, String> env = new TreeMap<>(release.instanceEnv());
    env.put("PIER_APP", app.name().value());
    env.put("PIER_RELEASE", release.name());
    // npm's "new version available" notice would be the last lines of every crash of `npm start`.
    env.putIfAbsent("NPM_CONFIG_UPDATE_NOTIFIER", "false");
    return env;
  }
}
