package dev.pier.control;

import dev.pier.model.InstanceState;
import dev.pier.runtime.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what to do for one app from what should run, what runs and the time: a pure function,
 * so every rollout, scale, restart and drain the platform makes is a plan a unit test can read.
 *
 * <ul>
 *   <li>A slot (version, type, index) that should be filled and has no current instance gets a
 *       {@link Action.Start}, even while an outdated instance (one a restart replaces) still
 *       fills it: the new one starts beside the old.
 *   <li>Once a slot has a current instance that is up, every other instance in it (outdated, or
 *       a second one) is retired. Until then they keep serving.
 *   <li>Instances in slots that should not be filled (a version that no longer runs, an index
 *       above the count, a type scaled to 0) are retired.
 *   <li>Retiring an up web instance drains it ({@link Action.Drain}: out of routing first); other
 *       instances stop at once. A draining instance stops when the router has no request in
 *       flight to it, when it is no longer up, or after the drain timeout.
 *   <li>Instances being stopped, and crashed instances waiting for the backend to restart them,
 *       count as filling their slot: the backend restarts crashes with backoff, not the planner.
 * </ul>
 */
public final class Planner {
  private final Duration drainTimeout;

  public Planner(Duration drainTimeout) {
    this.drainTimeout = drainTimeout;
  }

  public Plan plan(DesiredApp desired, ObservedApp observed, Instant now) {
    List<Action> actions = new ArrayList<>();
    Map<Slot, List<InstanceStatus>> bySlot = new LinkedHashMap<>();
    for (InstanceStatus s : observed.instances()) {
      if (observed.stopping().contains(s.id()) || s.state() == InstanceState.STOPPING) continue;
      if (s.task()) continue; // one-off and scheduled runs: not the formation's
      Instant since = observed.drainingSince().get(s.id());
      if (since != null) {
        String done = drained(s, since, observed, now);
        if (done != null) actions.add(new Action.Stop(s.id(), done));
        continue;
      }
      bySlot.computeIfAbsent(Slot.of(s), k -> new ArrayList<>()).add(s);
    }
    // Slots that should be filled, in version, type, index order.
    desired.counts().forEach((version, types) -> types.forEach((type, count) -> {
      for (int index = 1; index <= count; index++) {
        Slot slot = new Slot(version, type, index);
        List<InstanceStatus> in = bySlot.remove(slot);
        fill(slot, in == null ? List.of() : in, desired, actions);
      }
    }));
    // What is left fills no slot that should be filled.
    for (Map.Entry<Slot, List<InstanceStatus>> e : bySlot.entrySet()) {
      Slot slot = e.getKey();
      String why = desired.counts().containsKey(slot.version())
          ? slot.type() + " of v" + slot.version() + " scaled to " + desired.count(slot.version(), slot.type())
          : "v" + slot.version() + " no longer runs";
      for (InstanceStatus s : e.getValue()) actions.add(retire(s, why));
    }
    return new Plan(actions);
  }

  private static void fill(Slot slot, List<InstanceStatus> in, DesiredApp desired, List<Action> actions) {
    List<InstanceStatus> current = new ArrayList<>();
    List<InstanceStatus> outdated = new ArrayList<>();
    for (InstanceStatus s : in) {
      if (desired.restarts().stream().anyMatch(r -> r.outdates(s))) outdated.add(s);
      else current.add(s);
    }
    if (current.isEmpty()) {
      actions.add(new Action.Start(slot));
      return;
    }
    InstanceStatus keep = current.stream().max(PREFERRED).orElseThrow();
    if (keep.state() != InstanceState.UP) return; // nothing is retired before its successor is up
    for (InstanceStatus s : current) {
      if (s != keep) actions.add(retire(s, "replaced by " + keep.id()));
    }
    for (InstanceStatus s : outdated) actions.add(retire(s, "restarted: replaced by " + keep.id()));
  }

  /** Up beats not up; then the newest generation wins. */
  private static final Comparator<InstanceStatus> PREFERRED =
      Comparator.<InstanceStatus>comparingInt(s -> s.state() == InstanceState.UP ? 1 : 0)
          .thenComparingLong(s -> Generations.of(s.id()));

  private static Action retire(InstanceStatus s, String why) {
    if (s.type().equals("web") && s.state() == InstanceState.UP) return new Action.Drain(s.id(), why);
    return new Action.Stop(s.id(), why);
  }

  /** Null while a draining instance must wait, else why it may stop now. */
  private String drained(InstanceStatus s, Instant since, ObservedApp observed, Instant now) {
    if (s.state() != InstanceState.UP) return "drained (no longer up)";
    if (observed.inFlight().getOrDefault(s.id(), 0) == 0) return "drained";
    if (!now.isBefore(since.plus(drainTimeout))) {
      return "drain timeout (" + drainTimeout.toMillis() + " ms) passed with requests in flight";
    }
    return null;
  }
}
