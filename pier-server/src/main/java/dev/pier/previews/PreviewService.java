package dev.pier.previews;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.config.ConfigService;
import dev.pier.config.ConfigStore;
import dev.pier.deploy.DeployService;
import dev.pier.deploy.Rollout;
import dev.pier.errors.PlatformException;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.model.InstanceState;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.routing.PreviewRoutes;
import dev.pier.runtime.InstanceStatus;
import dev.pier.versions.VersionStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Branch previews: builds, replaces, removes, puts to sleep and wakes them. Every change runs
 * under the app's lock ({@link Rollout#locked}), the one pushes and deploys take, so two pushes
 * of one branch build one after the other and never leave two previews or half of one.
 *
 * <p>A preview is a release of the app recorded in {@code preview_releases}: it runs one web
 * instance (none while asleep), answers only at {@code LABEL.APP.DOMAIN}, and never takes part in
 * the app's traffic split, its version hosts, its formation or its rollbacks. A new build (or a
 * config change) starts beside the one serving, takes the host once ready, and then the old one
 * is drained and stopped: replacing a preview drops no request.
 */
public final class PreviewService {
  /** Longest branch name a preview is built for. */
  static final int MAX_BRANCH = 255;

  /** What a preview deploy ended with. */
  public sealed interface Result {
    record Deployed(Preview preview, String url) implements Result {}

    record Failed(String reason) implements Result {}
  }

  /** A preview with what is known of it now, for listings. */
  public record State(Preview preview, String url, String state, Instant lastRequest) {}

  private final AppService apps;
  private final DeployService deploys;
  private final ConfigStore config;
  private final ReleaseStore releases;
  private final VersionStore versions;
  private final Rollout rollout;
  private final PreviewStore store;
  private final IdlePreviews idle;
  private final Runnable publish;
  private final Function<String, List<InstanceStatus>> instances;
  private final LogBus logs;
  private final InstantSource clock;
  /** Releases this server is launching as previews now: each runs one web instance meanwhile. */
  private final Set<Launch> launching = ConcurrentHashMap.newKeySet();

  private record Launch(String app, int version) {}

  /**
   * @param publish publishes the route table
   * @param instances the app's instances now
   */
  public PreviewService(AppService apps, DeployService deploys, ConfigStore config, ReleaseStore releases,
      VersionStore versions, Rollout rollout, PreviewStore store, IdlePreviews idle, Runnable publish,
      Function<String, List<InstanceStatus>> instances, LogBus logs, InstantSource clock) {
    this.apps = apps;
    this.deploys = deploys;
    this.config = config;
    this.releases = releases;
    this.versions = versions;
    this.rollout = rollout;
    this.store = store;
    this.idle = idle;
    this.publish = publish;
    this.instances = instances;
    this.logs = logs;
    this.clock = clock;
  }

  /** Throws a 422 for a branch no preview can be built for; say why. */
  public static void checkBranch(String branch) {
    if (branch.isEmpty() || branch.length() > MAX_BRANCH) {
      throw PlatformException.invalid("branch names of previews must be 1 to " + MAX_BRANCH + " characters");
    }
  }

  /**
   * Builds {@code source} (consumed) of {@code branch} and makes it the branch's preview, replacing
   * the one it had once the new one is ready.
   */
  public Result deploy(App app, String branch, Path source, String commit, String user, BuildOutput out)
      throws Exception {
    checkBranch(branch);
    return rollout.locked(app, out, () -> {
      Optional<Preview> before = store.find(app.name(), branch);
      Map<String, String> overrides = before.map(Preview::overrides).orElse(Map.of());
      String description = "Preview " + branch + (commit == null ? "" : " " + commit.substring(0, Math.min(7, commit.length())));
      DeployService.Outcome outcome = deploys.buildRelease(app, source, description, user, out, commit,
          merged(app.name(), overrides));
      if (outcome instanceof DeployService.Outcome.Failed failed) return new Result.Failed(failed.reason());
      Release release = ((DeployService.Outcome.Released) outcome).release();
      return launch(app, branch, release, commit, overrides, before, user, out);
    });
  }

  /** Stops and removes {@code branch}'s preview; false (nothing done) when it has none. */
  public boolean remove(App app, String branch, String user, BuildOutput out) throws Exception {
    return rollout.locked(app, out, () -> {
      Optional<Preview> found = store.find(app.name(), branch);
      if (found.isEmpty()) return false;
      // Stop first, then forget: a kill -9 in between leaves a stopped preview one can remove again,
      // never an instance running for a preview nobody can see.
      Set<Integer> running = versions.running(app.name());
      for (Map.Entry<Integer, String> r : store.releases(app.name()).entrySet()) {
        if (r.getValue().equals(branch) && running.contains(r.getKey())) rollout.stop(apps.get(app.name()), r.getKey());
      }
      store.delete(app.name(), branch);
      idle.refresh();
      publish.run();
      logs.platform(app.name().value(), "api", "Preview " + branch + " removed by " + user);
      return true;
    });
  }

  /** The preview of {@code key} (its branch or its host label), or a 404. */
  public Preview get(App app, String key) {
    return store.findByBranchOrLabel(app.name(), key).orElseThrow(() -> PlatformException.notFound(
        "app '" + app.name() + "' has no preview of branch '" + key + "'; push the branch to create it"));
  }

  /**
   * Sets (non-null) and unsets (null) config vars of one preview only; a new release of it with
   * them replaces the one serving. Returns its overrides afterwards.
   */
  public Map<String, String> updateOverrides(App app, String key, Map<String, String> changes, String user)
      throws Exception {
    ConfigService.validate(changes);
    get(app, key);
    return rollout.locked(app, BuildOutput.NONE, () -> {
      Preview p = get(app, key);
      Map<String, String> next = new TreeMap<>(p.overrides());
      changes.forEach((k, v) -> {
        if (v == null) next.remove(k);
        else next.put(k, v);
      });
      if (next.equals(p.overrides())) return next;
      Release from = releases.find(app.name(), p.version())
          .orElseThrow(() -> PlatformException.conflict("the release of preview " + p.branch() + " is gone"));
      Release release = releases.create(app.name(), from.slug(), "Preview " + p.branch() + " config change", user,
          clock.instant(), merged(app.name(), next), from.buildEnv(), from.processes(), from.readinessPath(), from.commit());
      Result result = launch(app, p.branch(), release, from.commit(), next, Optional.of(p), user, BuildOutput.NONE);
      if (result instanceof Result.Failed failed) throw PlatformException.conflict("config not changed: " + failed.reason());
      return next;
    });
  }

  /** The app's previews with their URLs and states, by branch. */
  public List<State> list(App app) {
    List<InstanceStatus> now = instances.apply(app.name().value());
    List<State> result = new ArrayList<>();
    for (Preview p : store.list(app.name())) {
      boolean up = now.stream().anyMatch(s -> s.release() == p.version() && s.type().equals("web")
          && s.state() == InstanceState.UP);
      String state = p.asleep() ? "asleep" : up ? "running" : "starting";
      result.add(new State(p, url(p), state, idle.lastRequest(p)));
    }
    return result;
  }

  /** Puts idle previews to sleep and wakes them. */
  public IdlePreviews idle() {
    return idle;
  }

  /** Whether {@code version} of the app was built for a preview (never a rollback target). */
  public boolean isPreviewRelease(AppName app, int version) {
    return store.releases(app).containsKey(version);
  }

  /** The route table's view of the app's previews. */
  public PreviewRoutes routes() {
    return app -> {
      Map<Integer, String> built = store.releases(app);
      if (built.isEmpty()) return PreviewRoutes.Of.NONE;
      Map<Integer, String> hosts = new HashMap<>();
      for (Preview p : store.list(app)) hosts.put(p.version(), p.label() + "." + apps.host(app));
      return new PreviewRoutes.Of(built.keySet(), hosts);
    };
  }

  /**
   * Web instances of each running preview version: one for the version a preview serves (none
   * while it sleeps), one for a build this server is launching now, none for any other. A release
   * a kill -9 left behind (its preview removed, or its launch cut off before the preview recorded
   * it) thus runs nothing after the restart.
   */
  public Map<Integer, Integer> webCounts(AppName app) {
    Map<Integer, String> built = store.releases(app);
    if (built.isEmpty()) return Map.of();
    Map<Integer, Preview> serving = new HashMap<>();
    for (Preview p : store.list(app)) serving.put(p.version(), p);
    Map<Integer, Integer> counts = new TreeMap<>();
    built.forEach((version, branch) -> {
      Preview p = serving.get(version);
      boolean runs = launching.contains(new Launch(app.value(), version)) || (p != null && !p.asleep());
      counts.put(version, runs ? 1 : 0);
    });
    return counts;
  }

  /** Where the preview answers: {@code http://LABEL.APP.DOMAIN:PORT/}. */
  public String url(Preview p) {
    return apps.webUrl(new AppName(p.app())).replaceFirst("^http://", "http://" + p.label() + ".");
  }

  /** The app's config with the preview's overrides on top. */
  private Map<String, String> merged(AppName app, Map<String, String> overrides) {
    Map<String, String> vars = new LinkedHashMap<>(config.get(app));
    vars.putAll(overrides);
    return vars;
  }

  /** Runs {@code release} as the branch's preview; the one it replaces stops once it serves. */
  private Result launch(App app, String branch, Release release, String commit, Map<String, String> overrides,
      Optional<Preview> before, String user, BuildOutput out) throws Exception {
    store.addRelease(app.name(), release.version(), branch);
    if (!release.processes().containsKey("web")) {
      releases.markFailed(app.name(), release.version());
      return new Result.Failed(release.name() + " has no web process: a preview runs only web (add web: to the Procfile)");
    }
    out.step("Launching preview " + branch + " (" + release.name() + ")...");
    Launch launch = new Launch(app.name().value(), release.version());
    launching.add(launch);
    try {
      return launched(app, branch, release, commit, overrides, before, user, out);
    } finally {
      launching.remove(launch);
    }
  }

  private Result launched(App app, String branch, Release release, String commit, Map<String, String> overrides,
      Optional<Preview> before, String user, BuildOutput out) throws Exception {
    String problem = rollout.startWithoutTraffic(apps.get(app.name()), release);
    if (problem != null) {
      releases.markFailed(app.name(), release.version());
      for (String line : problem.split("\n")) out.warn(line);
      logs.platform(app.name().value(), "api", "Preview " + branch + " " + release.name() + " failed to start");
      return new Result.Failed(release.name() + " did not become ready; "
          + (before.isPresent() ? "the preview keeps serving its previous release" : "no preview runs"));
    }
    Instant now = clock.instant();
    Preview next = before.map(p -> p.serving(release.version(), commit, overrides, now))
        .orElseGet(() -> new Preview(app.name().value(), branch, label(app.name(), branch), release.version(), commit,
            overrides, false, null, now, now));
    store.save(next);
    idle.watch(next);
    publish.run();
    if (before.isPresent() && before.get().version() != release.version()) {
      rollout.stop(apps.get(app.name()), before.get().version());
    }
    String url = url(next);
    logs.platform(app.name().value(), "api", "Preview " + branch + " " + release.name() + " deployed by " + user + " to " + url);
    return new Result.Deployed(next, url);
  }

  private String label(AppName app, String branch) {
    Set<String> taken = new HashSet<>();
    for (Preview p : store.list(app)) taken.add(p.label());
    return PreviewLabel.of(branch, taken);
  }
}
