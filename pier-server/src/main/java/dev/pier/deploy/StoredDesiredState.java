package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.app.AppStore;
import dev.pier.control.DesiredApp;
import dev.pier.control.DesiredSource;
import dev.pier.control.ScaleSource;
import dev.pier.model.AppName;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.versions.Traffic;
import dev.pier.versions.VersionStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The desired state of an app, read from the store: every running version (and every version
 * with a share of the traffic) runs the app's formation for the process types its release has.
 * A release that never became ready runs only while it has traffic (never, in practice). Types
 * that autoscale run the count the {@link ScaleSource} (the autoscaler) decides per version.
 */
public final class StoredDesiredState implements DesiredSource {
  private final AppStore apps;
  private final ReleaseStore releases;
  private final VersionStore versions;
  private final FormationStore formations;
  private volatile ScaleSource scale = ScaleSource.NONE;
  private volatile OwnWebCounts ownWeb = OwnWebCounts.NONE;

  /** #10 branch previews: versions that run only their own web count, not the app's formation. */
  @FunctionalInterface
  public interface OwnWebCounts {
    OwnWebCounts NONE = app -> Map.of();

    /** Version -> web instances, for each running version that does not run the app's formation. */
    Map<Integer, Integer> of(AppName app);
  }

  /** Versions {@code own} names run its web count (and nothing else) from now on. */
  public void ownWebCounts(OwnWebCounts own) {
    this.ownWeb = java.util.Objects.requireNonNull(own, "own");
  }

  /** #10 The versions of the app that run only their own web count (branch previews). */
  public Set<Integer> ownVersions(AppName app) {
    return ownWeb.of(app).keySet();
  }

  public StoredDesiredState(
      AppStore apps, ReleaseStore releases, VersionStore versions, FormationStore formations) {
    this.apps = apps;
    this.releases = releases;
    this.versions = versions;
    this.formations = formations;
  }

  /** Counts of types that autoscale come from {@code scale} (the autoscaler) from now on. */
  public void scaleWith(ScaleSource scale) {
    this.scale = scale;
  }

  @Override
  public List<String> apps() {
    return apps.all().stream().map(a -> a.name().value()).toList();
  }

  @Override
  public DesiredApp desired(String app) {
    AppName name;
    try {
      name = new AppName(app);
    } catch (IllegalArgumentException e) {
      return DesiredApp.nothing(app);
    }
    Optional<App> found = apps.find(name);
    if (found.isEmpty()) return DesiredApp.nothing(app);
    Traffic traffic = versions.traffic(name);
    Set<Integer> running = new TreeSet<>(versions.running(name));
    running.addAll(traffic.allocations().keySet());
    Map<String, Integer> formation = formations.get(name);
    Set<String> autoscaled = formations.autoscale(name).keySet();
    Map<Integer, Map<String, Integer>> counts = new TreeMap<>();
    Map<Integer, Integer> own = ownWeb.of(name);
    for (int version : running) {
      Optional<Release> release = releases.find(name, version);
      if (release.isEmpty() || (release.get().failed() && traffic.percent(version) == 0)) continue;
      Map<String, Integer> types = new LinkedHashMap<>();
      if (own.containsKey(version)) {
        if (release.get().processes().containsKey("web")) types.put("web", own.get(version));
        counts.put(version, types);
        continue;
      }
      for (String type : release.get().processes().keySet()) {
        int count = formation.getOrDefault(type, 0);
        types.put(type, autoscaled.contains(type) ? scale.count(app, version, type, count) : count);
      }
      counts.put(version, types);
    }
    return new DesiredApp(app, counts, List.of());
  }
}
