package dev.pier.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake timeline for the decider: every step moves time 2 s, adds the load of that step as a
 * sample (as the router would) and decides, carrying the state and the desired count forward.
 * Ready instances follow the desired count at once unless {@link #holdReady} is set, as when new
 * instances are still booting.
 */
final class Timeline {
  static final Instant T0 = Instant.parse("2026-12-07T05:00:00Z");
  static final Duration STEP = Duration.ofSeconds(2);

  private final Kpa kpa = new Kpa();
  private final AutoscaleSpec spec;
  final MetricWindow window;
  final List<Decision> decisions = new ArrayList<>();
  State state = State.INITIAL;
  Instant now = T0;
  int desired;
  int ready;
  boolean holdReady;

  Timeline(AutoscaleSpec spec, int desired) {
    this.spec = spec;
    this.window = MetricWindow.forSpec(spec);
    this.desired = desired;
    this.ready = desired;
  }

  /** One step's load totals for the version. */
  record Load(double concurrency, double rps, double cpu, int inFlight) {
    static Load concurrent(double total) {
      return new Load(total, 0, 0, (int) Math.ceil(total));
    }

    static Load rps(double total) {
      return new Load(0, total, 0, 0);
    }

    static Load cpu(double total) {
      return new Load(0, 0, total, 0);
    }

    static Load idle() {
      return new Load(0, 0, 0, 0);
    }

    /** Requests held by the router, waiting for an instance: nothing is served yet. */
    static Load held(int requests) {
      return new Load(0, 0, 0, requests);
    }
  }

  /** Runs one 2 s step with {@code load} and returns its decision. */
  Decision step(Load load) {
    now = now.plus(STEP);
    window.add(new LoadSample(now, load.concurrency(), load.rps(), load.cpu(), ready, load.inFlight()));
    Decision decision = kpa.decide(spec, window, state, desired, now);
    decisions.add(decision);
    state = decision.next();
    desired = decision.desired();
    if (!holdReady) {
      ready = desired;
    }
    return decision;
  }

  /** Runs {@code duration} of 2 s steps with the same load and returns the last decision. */
  Decision run(Duration duration, Load load) {
    Decision last = null;
    for (long s = 0; s < duration.toSeconds(); s += STEP.toSeconds()) {
      last = step(load);
    }
    return last;
  }

  /** Returns the decisions made at or after {@code from}. */
  List<Decision> since(Instant from) {
    return decisions.stream().filter(d -> !d.at().isBefore(from)).toList();
  }
}
