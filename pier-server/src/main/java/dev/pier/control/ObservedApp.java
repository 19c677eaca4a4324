package dev.pier.control;

import dev.pier.runtime.InstanceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What runs for one app, as the reconciler sees it at one moment.
 *
 * @param instances what the runtime backend lists
 * @param drainingSince instances taken out of routing, and since when
 * @param stopping instances whose stop was issued and has not finished
 * @param inFlight requests the router has in flight per instance id (absent: 0)
 */
public record ObservedApp(
    List<InstanceStatus> instances, Map<String, Instant> drainingSince, Set<String> stopping,
    Map<String, Integer> inFlight) {
  public ObservedApp {
    instances = List.copyOf(instances);
    drainingSince = Map.copyOf(drainingSince);
    stopping = Set.copyOf(stopping);
    inFlight = Map.copyOf(inFlight);
  }

  public static ObservedApp of(List<InstanceStatus> instances) {
    return new ObservedApp(instances, Map.of(), Set.of(), Map.of());
  }
}
