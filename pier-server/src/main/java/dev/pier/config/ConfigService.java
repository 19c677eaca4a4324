package dev.pier.config;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.deploy.Rollout;
import dev.pier.logs.LogBus;
import dev.pier.release.Release;
import dev.pier.release.ReleaseService;
import dev.pier.release.ReleaseStore;
import dev.pier.errors.PlatformException;
import dev.pier.versions.VersionStore;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Config vars. A change to an app that has a release makes a new release (same slug, new vars)
 * and restarts its instances on it, as Heroku does.
 */
public final class ConfigService {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
  private static final Set<String> RESERVED = Set.of("PORT", "DYNO", "PIER_APP", "PIER_RELEASE");
  private static final int MAX_VALUE = 32 * 1024;

  private final ConfigStore store;
  private final AppService apps;
  private final ReleaseService releaseService;
  private final ReleaseStore releases;
  private final Rollout rollout;
  private final VersionStore versions;
  private final LogBus logs;
  private final InstantSource clock;

  public ConfigService(
      ConfigStore store, AppService apps, ReleaseService releaseService, ReleaseStore releases,
      Rollout rollout, VersionStore versions, LogBus logs, InstantSource clock) {
    this.store = store;
    this.apps = apps;
    this.releaseService = releaseService;
    this.releases = releases;
    this.rollout = rollout;
    this.versions = versions;
    this.logs = logs;
    this.clock = clock;
  }

  public Map<String, String> get(App app) {
    return store.get(app.name());
  }

  /**
   * What an update returned: the new vars, the release made for them (0 if none) and the keys
   * asked to be unset that were not set (nothing was done for those).
   */
  public record Updated(Map<String, String> config, int release, List<String> notSet) {}

  /**
   * Applies sets (non-null) and unsets (null); all validated before anything is stored. With a
   * release, a new one is rolled out with zero downtime and takes the current release's share of
   * the traffic; if it never becomes ready, the change is undone.
   */
  public Updated update(App app, Map<String, String> changes, String user) throws Exception {
    validate(changes);
    return rollout.locked(app, BuildOutput.NONE, () -> apply(app, changes, user));
  }

  /** Throws a 422 naming the first change that is not a valid config var (also for branch previews). */
  public static void validate(Map<String, String> changes) {
    if (changes.isEmpty()) throw PlatformException.invalid("no config vars given");
    for (Map.Entry<String, String> e : changes.entrySet()) {
      String key = e.getKey();
      if (!KEY.matcher(key).matches()) {
        throw PlatformException.invalid(
            "invalid config var name '" + key.replaceAll("[^\\x20-\\x7e]", "?")
                + "': use letters, digits and '_', not starting with a digit");
      }
      if (RESERVED.contains(key)) {
        throw PlatformException.invalid(key + " is set by Pier for each instance and cannot be changed");
      }
      if (e.getValue() != null && e.getValue().length() > MAX_VALUE) {
        throw PlatformException.invalid("value of " + key + " is longer than 32 KB");
      }
      if (e.getValue() != null && e.getValue().indexOf('\0') >= 0) {
        throw PlatformException.invalid("value of " + key + " contains a NUL character");
      }
    }
  }

  /**
   * Unsetting a var that is not set changes nothing: such keys are left out of the change and
   * reported, and when nothing else is asked there is no new release and no restart (as Heroku).
   */
  private Updated apply(App app, Map<String, String> requested, String user) throws InterruptedException {
    Map<String, String> previousVars = store.get(app.name());
    Map<String, String> changes = new java.util.LinkedHashMap<>();
    List<String> notSet = new ArrayList<>();
    requested.forEach((key, value) -> {
      if (value == null && !previousVars.containsKey(key)) notSet.add(key);
      else changes.put(key, value);
    });
    if (changes.isEmpty()) return new Updated(previousVars, 0, notSet);
    List<String> set = new ArrayList<>();
    List<String> unset = new ArrayList<>();
    changes.forEach((key, value) -> (value == null ? unset : set).add(key));
    Map<String, String> vars = store.update(app.name(), changes);
    String description =
        (set.isEmpty() ? "" : "Set " + String.join(", ", set) + " config vars")
            + (set.isEmpty() || unset.isEmpty() ? "" : "; ")
            + (unset.isEmpty() ? "" : "Remove " + String.join(", ", unset) + " config vars");
    logs.platform(app.name().value(), "api", description + " by " + user);
    App current = apps.get(app.name());
    if (!current.hasRelease()) return new Updated(vars, 0, notSet);
    Release previous = releaseService.current(current);
    Release release =
        releases.create(
            app.name(), previous.slug(), description, user, clock.instant(), vars,
            previous.buildEnv(), previous.processes(), previous.readinessPath(), previous.commit());
    logs.platform(app.name().value(), "api", "Release " + release.name() + " created by " + user + ": " + description);
    String problem =
        rollout.apply(current, versions.traffic(app.name()).replacing(previous.version(), release.version()),
            true, user, BuildOutput.NONE);
    if (problem != null) {
      releases.markFailed(app.name(), release.version());
      Map<String, String> undo = new java.util.LinkedHashMap<>();
      for (String key : changes.keySet()) undo.put(key, previousVars.get(key));
      store.update(app.name(), undo);
      throw PlatformException.conflict(
          "config not changed: " + release.name() + " did not become ready: " + problem);
    }
    return new Updated(vars, release.version(), notSet);
  }
}
