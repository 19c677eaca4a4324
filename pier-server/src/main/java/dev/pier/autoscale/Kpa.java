package dev.pier.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Knative's pod autoscaler (KPA) rules as a pure {@link Decider}. Each call goes through these
 * steps, and the reason names each one that changed the count:
 *
 * <ol>
 *   <li><b>Stable count</b>: {@code ceil(stable-window average total / target)}. With a target of
 *       10 concurrent and 32 concurrent on average over 60 s, 4 instances.
 *   <li><b>Panic</b>: when the panic-window (10% of stable) average reaches 200% of the target per
 *       ready instance (52 concurrent on 1 instance with target 20 is 260%), panic starts. In panic
 *       the count is the larger of the stable and panic counts and never goes down; panic ends once
 *       a whole stable window has passed without the condition.
 *   <li><b>Zero</b> (only with min 0): the count goes to 0 only when no request was seen for the
 *       idle grace and none is in flight or held; until then at least 1. A version at 0 wakes to at
 *       least 1 as soon as a sample shows a request.
 *   <li><b>Clamp</b> to {@code [min, max]}.
 *   <li><b>Scale-down</b>: only once the scale-down delay has passed since the load last wanted
 *       at least the current count, and then at most halving per decision (10 to 5, 5 to 3, 1 to
 *       0), never below min. After the delay each decision may halve again.
 * </ol>
 *
 * Without any sample in the stable window the count is kept (clamped). Scale-up is not limited
 * (Knative's max scale-up rate of 1000 never binds at 100 instances).
 */
public final class Kpa implements Decider {
  @Override
  public Decision decide(AutoscaleSpec spec, MetricWindow window, State state, int currentDesired, Instant now) {
    if (currentDesired < 0) {
      throw new IllegalArgumentException("currentDesired must not be negative: " + currentDesired);
    }
    Optional<MetricWindow.Average> stable = window.average(spec.stableWindow(), now);
    Optional<LoadSample> latest = window.latest();
    if (stable.isEmpty() || latest.isEmpty()) {
      StringBuilder reason = new StringBuilder("no load samples in the last "
          + AutoscaleSpec.seconds(spec.stableWindow()) + ", keeping " + currentDesired);
      int desired = clamp(spec, currentDesired, reason);
      return decision(now, currentDesired, desired, state.mode(), reason, state);
    }
    Metric metric = spec.metric();
    double stableTotal = stable.get().value(metric);
    double panicTotal = window.average(spec.panicWindow(), now).map(a -> a.value(metric)).orElse(stableTotal);
    int ready = Math.max(1, latest.get().readyInstances());
    int stableWant = Numbers.ceil(stableTotal / spec.target());
    int panicWant = Numbers.ceil(panicTotal / spec.target());
    boolean over = panicTotal / spec.target() / ready >= spec.panicThreshold();

    Instant panicSince = state.panicSince();
    Instant panicSeenAt = state.panicSeenAt();
    int panicHigh = state.panicHigh();
    if (over) {
      panicSince = panicSince == null ? now : panicSince;
      panicSeenAt = now;
    } else if (panicSince != null && !now.isBefore(panicSeenAt.plus(spec.stableWindow()))) {
      panicSince = null;
      panicSeenAt = null;
      panicHigh = 0;
    }
    Mode mode = panicSince == null ? Mode.STABLE : Mode.PANIC;

    int want;
    StringBuilder reason;
    if (mode == Mode.PANIC) {
      boolean byPanic = panicWant >= stableWant;
      want = Math.max(stableWant, panicWant);
      reason = observation(spec, "panic", byPanic ? panicTotal : stableTotal,
          byPanic ? spec.panicWindow() : spec.stableWindow(), ready, want);
      int floor = Math.max(panicHigh, currentDesired);
      if (want < floor) {
        want = floor;
        reason.append("; panic never scales down, keeping ").append(floor);
      }
    } else {
      want = stableWant;
      reason = observation(spec, "stable", stableTotal, spec.stableWindow(), ready, want);
    }
    if (want == 0 && spec.min() == 0) {
      want = zero(spec, window, latest.get(), currentDesired, now, reason);
    }
    want = clamp(spec, want, reason);
    Instant higherWantedAt = want >= currentDesired ? now
        : state.higherWantedAt() == null ? now : state.higherWantedAt();
    int desired = want >= currentDesired ? want : scaleDown(spec, want, currentDesired, higherWantedAt, now, reason);
    desired = clamp(spec, desired, reason);
    if (mode == Mode.PANIC) {
      panicHigh = desired;
    }
    State next = new State(panicSince, panicSeenAt, panicHigh, higherWantedAt, state.lastChange());
    return decision(now, currentDesired, desired, mode, reason, next);
  }

  /** Returns {@code "panic: 52.0 concurrent over 10 s is 260% of target 20 for 1 instance(s) -> 3"}. */
  private static StringBuilder observation(AutoscaleSpec spec, String mode, double total, Duration over,
      int ready, int want) {
    long percent = Math.round(total / (spec.target() * ready) * 100);
    return new StringBuilder(String.format(Locale.ROOT, "%s: %s over %s is %d%% of target %s for %d instance(s) -> %d",
        mode, spec.metric().observed(total), AutoscaleSpec.seconds(over), percent, Numbers.plain(spec.target()),
        ready, want));
  }

  /** With no load and min 0: returns 0 once the version is idle, else 1 (waking one at 0 for a request). */
  private static int zero(AutoscaleSpec spec, MetricWindow window, LoadSample latest, int currentDesired,
      Instant now, StringBuilder reason) {
    if (currentDesired == 0) {
      if (latest.sawRequests()) {
        reason.append("; ").append(latest.inFlight()).append(" request(s) waiting, waking to 1");
        return 1;
      }
      return 0;
    }
    if (latest.inFlight() > 0) {
      reason.append("; ").append(latest.inFlight()).append(" request(s) in flight, keeping at least 1");
      return 1;
    }
    Duration quiet = Duration.between(window.quietSince().orElse(now), now);
    if (quiet.compareTo(spec.idleGrace()) < 0) {
      reason.append("; ").append(window.lastRequestAt().isPresent() ? "last request " : "watching for ")
          .append(AutoscaleSpec.seconds(quiet)).append(window.lastRequestAt().isPresent() ? " ago" : "")
          .append(", keeping at least 1 until ").append(AutoscaleSpec.seconds(spec.idleGrace()))
          .append(" without a request");
      return 1;
    }
    reason.append("; no request for ").append(AutoscaleSpec.seconds(quiet)).append(", scaling to zero");
    return 0;
  }

  /** Returns the count after a scale-down to {@code want}: held during the delay, at most halving. */
  private static int scaleDown(AutoscaleSpec spec, int want, int currentDesired, Instant higherWantedAt,
      Instant now, StringBuilder reason) {
    Duration since = Duration.between(higherWantedAt, now);
    if (since.compareTo(spec.scaleDownDelay()) < 0) {
      reason.append("; scale-down waits for the ").append(AutoscaleSpec.seconds(spec.scaleDownDelay()))
          .append(" delay (").append(currentDesired).append(" wanted ").append(AutoscaleSpec.seconds(since))
          .append(" ago), keeping ").append(currentDesired);
      return currentDesired;
    }
    int halfway = currentDesired == 1 ? 0 : (currentDesired + 1) / 2;
    if (want < halfway) {
      reason.append("; scale-down limited to half: ").append(halfway);
      return halfway;
    }
    return want;
  }

  private static int clamp(AutoscaleSpec spec, int desired, StringBuilder reason) {
    if (desired > spec.max()) {
      reason.append("; clamped to max ").append(spec.max());
      return spec.max();
    }
    if (desired < spec.min()) {
      reason.append("; raised to min ").append(spec.min());
      return spec.min();
    }
    return desired;
  }

  private static Decision decision(Instant now, int from, int desired, Mode mode, StringBuilder reason, State state) {
    String text = reason.toString();
    State next = desired == from ? state
        : new State(state.panicSince(), state.panicSeenAt(), state.panicHigh(), state.higherWantedAt(),
            new Change(now, from, desired, text));
    return new Decision(now, from, desired, mode, text, next);
  }
}
