package dev.pier.control;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What should run for one app: per version, how many instances of each process type, and the
 * rolling restarts asked for that are not done yet.
 *
 * @param app the app's name
 * @param counts version -> process type -> instance count; versions absent run nothing (kept
 *     sorted by version and type, so plans come out in the same order every time)
 * @param restarts restarts in progress
 */
public record DesiredApp(String app, Map<Integer, Map<String, Integer>> counts, List<RestartRequest> restarts) {
  public DesiredApp {
    Map<Integer, Map<String, Integer>> copy = new TreeMap<>();
    counts.forEach((v, types) -> copy.put(v, java.util.Collections.unmodifiableMap(new TreeMap<>(types))));
    counts = java.util.Collections.unmodifiableMap(copy);
    restarts = List.copyOf(restarts);
  }

  /** Nothing runs: an app that is gone or has no running version. */
  public static DesiredApp nothing(String app) {
    return new DesiredApp(app, Map.of(), List.of());
  }

  public int count(int version, String type) {
    return counts.getOrDefault(version, Map.of()).getOrDefault(type, 0);
  }

  public DesiredApp withRestarts(List<RestartRequest> more) {
    List<RestartRequest> all = new java.util.ArrayList<>(restarts);
    all.addAll(more);
    return new DesiredApp(app, counts, all);
  }
}
