package dev.pier.autoscale;

import static dev.pier.autoscale.Timeline.Load.concurrent;
import static dev.pier.autoscale.Timeline.Load.cpu;
import static dev.pier.autoscale.Timeline.Load.held;
import static dev.pier.autoscale.Timeline.Load.idle;
import static dev.pier.autoscale.Timeline.Load.rps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The KPA rules driven through a fake timeline of 2 s load samples. */
class KpaTest {
  private static AutoscaleSpec spec(int min, int max, Metric metric, double target, int stableSeconds,
      int delaySeconds, int idleSeconds) {
    return new AutoscaleSpec(min, max, metric, target, Duration.ofSeconds(stableSeconds),
        Duration.ofSeconds(delaySeconds), Duration.ofSeconds(idleSeconds));
  }

  private static AutoscaleSpec concurrency(int min, int max, double target) {
    return AutoscaleSpec.of(min, max, Metric.CONCURRENCY, target);
  }

  @Test
  void steadyLoadScalesUpToTheTotalOverTheTarget() {
    Timeline timeline = new Timeline(concurrency(1, 10, 10), 1);

    Decision first = timeline.step(concurrent(15));
    Decision later = timeline.run(Duration.ofMinutes(2), concurrent(35));

    assertThat(first.desired()).isEqualTo(2);
    assertThat(first.mode()).isEqualTo(Mode.STABLE);
    assertThat(first.reason()).isEqualTo("stable: 15.0 concurrent over 60 s is 150% of target 10 for 1 instance(s) -> 2");
    assertThat(later.desired()).isEqualTo(4);
    assertThat(later.mode()).isEqualTo(Mode.STABLE);
    assertThat(later.reason()).isEqualTo("stable: 35.0 concurrent over 60 s is 88% of target 10 for 4 instance(s) -> 4");
  }

  @Test
  void loadJustAtTheTargetDoesNotAddAnInstance() {
    Timeline timeline = new Timeline(concurrency(1, 10, 10), 3);

    assertThat(timeline.run(Duration.ofMinutes(2), concurrent(30)).desired()).isEqualTo(3);
  }

  @Test
  void aBurstWithinThePanicWindowPanicsAndScalesUpAtOnce() {
    Timeline timeline = new Timeline(spec(1, 10, Metric.CONCURRENCY, 20, 100, 0, 300), 1);
    timeline.holdReady = true;
    timeline.run(Duration.ofSeconds(100), concurrent(5));

    List<Decision> burst = List.of(timeline.step(concurrent(52)), timeline.step(concurrent(52)),
        timeline.step(concurrent(52)), timeline.step(concurrent(52)), timeline.step(concurrent(52)));

    assertThat(burst.getFirst().mode()).isEqualTo(Mode.STABLE);
    Decision last = burst.getLast();
    assertThat(last.mode()).isEqualTo(Mode.PANIC);
    assertThat(last.desired()).isEqualTo(3);
    assertThat(last.reason()).isEqualTo("panic: 52.0 concurrent over 10 s is 260% of target 20 for 1 instance(s) -> 3");
    assertThat(last.next().panicSince()).isEqualTo(burst.stream()
        .filter(d -> d.mode() == Mode.PANIC).findFirst().orElseThrow().at());
  }

  @Test
  void panicNeverScalesDownAndEndsAStableWindowAfterTheBurst() {
    Timeline timeline = new Timeline(spec(1, 10, Metric.CONCURRENCY, 20, 100, 0, 300), 1);
    timeline.holdReady = true;
    timeline.run(Duration.ofSeconds(100), concurrent(5));
    timeline.run(Duration.ofSeconds(10), concurrent(52));
    timeline.holdReady = false;
    timeline.run(Duration.ofSeconds(10), concurrent(5));
    Instant lastOver = timeline.state.panicSeenAt();

    timeline.run(Duration.between(timeline.now, lastOver.plus(Duration.ofSeconds(98))), concurrent(5));
    Decision lastInPanic = timeline.decisions.getLast();
    Decision afterPanic = timeline.step(concurrent(5));

    assertThat(timeline.since(lastOver).subList(0, 50)).allSatisfy(d -> {
      assertThat(d.mode()).isEqualTo(Mode.PANIC);
      assertThat(d.desired()).isEqualTo(3);
    });
    assertThat(lastInPanic.at()).isEqualTo(lastOver.plus(Duration.ofSeconds(98)));
    assertThat(lastInPanic.reason()).endsWith("-> 1; panic never scales down, keeping 3");
    assertThat(afterPanic.mode()).isEqualTo(Mode.STABLE);
    assertThat(afterPanic.next().panicSince()).isNull();
    assertThat(afterPanic.desired()).isEqualTo(2);
    assertThat(afterPanic.reason()).endsWith("-> 1; scale-down limited to half: 2");
  }

  @Test
  void scaleDownAtMostHalvesPerDecision() {
    Timeline timeline = new Timeline(spec(1, 20, Metric.CONCURRENCY, 10, 6, 0, 300), 10);

    List<Integer> counts = List.of(timeline.step(concurrent(5)).desired(), timeline.step(concurrent(5)).desired(),
        timeline.step(concurrent(5)).desired(), timeline.step(concurrent(5)).desired(),
        timeline.step(concurrent(5)).desired());

    assertThat(counts).containsExactly(5, 3, 2, 1, 1);
    assertThat(timeline.decisions.getFirst().reason())
        .isEqualTo("stable: 5.0 concurrent over 6 s is 5% of target 10 for 10 instance(s) -> 1; scale-down limited to half: 5");
  }

  @Test
  void scaleDownWaitsForTheDelaySinceMoreWasLastWanted() {
    Timeline timeline = new Timeline(spec(1, 20, Metric.CONCURRENCY, 10, 6, 30, 300), 4);
    timeline.run(Duration.ofSeconds(20), concurrent(40));
    Instant lastWanted = timeline.now;

    timeline.run(Duration.ofSeconds(28), concurrent(10));
    Decision stillWaiting = timeline.decisions.getLast();
    Decision afterDelay = timeline.step(concurrent(10));
    Decision next = timeline.step(concurrent(10));

    List<Decision> waiting = timeline.since(lastWanted.plus(Timeline.STEP));
    assertThat(waiting).hasSize(16);
    assertThat(waiting.subList(0, 14)).allSatisfy(d -> assertThat(d.desired()).isEqualTo(4));
    assertThat(stillWaiting.at()).isEqualTo(lastWanted.plus(Duration.ofSeconds(28)));
    assertThat(stillWaiting.reason())
        .endsWith("-> 1; scale-down waits for the 30 s delay (4 wanted 28 s ago), keeping 4");
    assertThat(afterDelay.desired()).isEqualTo(2);
    assertThat(next.desired()).isEqualTo(1);
  }

  @Test
  void aLoadThatWantsTheCurrentCountAgainRestartsTheDelay() {
    Timeline timeline = new Timeline(spec(1, 20, Metric.CONCURRENCY, 10, 6, 30, 300), 4);
    timeline.run(Duration.ofSeconds(20), concurrent(40));
    timeline.run(Duration.ofSeconds(20), concurrent(10));
    timeline.run(Duration.ofSeconds(6), concurrent(40));
    Instant wantedAgain = timeline.now;

    timeline.run(Duration.ofSeconds(28), concurrent(10));

    assertThat(timeline.since(wantedAgain)).allSatisfy(d -> assertThat(d.desired()).isEqualTo(4));
  }

  @Test
  void anIdleVersionReachesZeroAfterTheIdleGraceAndNotBefore() {
    Timeline timeline = new Timeline(spec(0, 5, Metric.CONCURRENCY, 10, 60, 0, 300), 1);
    timeline.run(Duration.ofSeconds(60), concurrent(3));
    Instant lastRequest = timeline.now;

    timeline.run(Duration.ofSeconds(298), idle());
    Decision beforeGrace = timeline.decisions.getLast();
    Decision atGrace = timeline.step(idle());

    assertThat(timeline.since(lastRequest.plusSeconds(2)).subList(0, 149))
        .allSatisfy(d -> assertThat(d.desired()).isEqualTo(1));
    assertThat(beforeGrace.reason()).isEqualTo("stable: 0.0 concurrent over 60 s is 0% of target 10 for 1 instance(s) -> 0"
        + "; last request 298 s ago, keeping at least 1 until 300 s without a request");
    assertThat(atGrace.desired()).isZero();
    assertThat(atGrace.reason()).endsWith("; no request for 300 s, scaling to zero");
    assertThat(timeline.step(idle()).desired()).isZero();
  }

  @Test
  void aVersionDoesNotGoToZeroWhileARequestIsInFlight() {
    Timeline timeline = new Timeline(spec(0, 5, Metric.CONCURRENCY, 10, 60, 0, 1), 1);
    timeline.run(Duration.ofSeconds(120), idle());
    assertThat(timeline.desired).isZero();
    timeline.desired = 1;
    timeline.ready = 1;

    Decision decision = timeline.step(held(2));

    assertThat(decision.desired()).isEqualTo(1);
    assertThat(decision.reason()).endsWith("; 2 request(s) in flight, keeping at least 1");
  }

  @Test
  void aNewWindowDoesNotScaleToZeroBeforeItHasWatchedForTheIdleGrace() {
    Timeline timeline = new Timeline(spec(0, 5, Metric.CONCURRENCY, 10, 60, 0, 300), 2);

    timeline.run(Duration.ofSeconds(296), idle());
    Decision watching = timeline.decisions.getLast();

    assertThat(timeline.decisions).allSatisfy(d -> assertThat(d.desired()).isPositive());
    assertThat(watching.reason()).endsWith("; watching for 294 s, keeping at least 1 until 300 s without a request");
    assertThat(timeline.run(Duration.ofSeconds(4), idle()).desired()).isEqualTo(1);
    assertThat(timeline.step(idle()).desired()).isZero();
  }

  @Test
  void aHeldRequestWakesAVersionFromZero() {
    Timeline timeline = new Timeline(spec(0, 5, Metric.CONCURRENCY, 10, 60, 0, 300), 0);
    timeline.run(Duration.ofSeconds(60), idle());
    assertThat(timeline.desired).isZero();

    Decision woken = timeline.step(held(1));

    assertThat(woken.desired()).isEqualTo(1);
    assertThat(woken.reason()).endsWith("; 1 request(s) waiting, waking to 1");
    assertThat(woken.next().lastChange()).isEqualTo(new Change(woken.at(), 0, 1, woken.reason()));
  }

  @Test
  void aBurstAtZeroPanicsStraightToTheCountItNeeds() {
    Timeline timeline = new Timeline(spec(0, 10, Metric.CONCURRENCY, 20, 60, 0, 300), 0);
    timeline.holdReady = true;

    Decision decision = timeline.step(concurrent(52));

    assertThat(decision.mode()).isEqualTo(Mode.PANIC);
    assertThat(decision.desired()).isEqualTo(3);
  }

  @Test
  void theCountStaysWithinMinAndMax() {
    Timeline busy = new Timeline(concurrency(2, 10, 10), 4);
    Timeline quiet = new Timeline(concurrency(2, 10, 10), 2);

    Decision capped = busy.run(Duration.ofMinutes(2), concurrent(500));
    Decision floored = quiet.run(Duration.ofMinutes(10), idle());

    assertThat(capped.desired()).isEqualTo(10);
    assertThat(capped.reason()).endsWith("-> 50; clamped to max 10");
    assertThat(busy.decisions).allSatisfy(d -> assertThat(d.desired()).isBetween(2, 10));
    assertThat(floored.desired()).isEqualTo(2);
    assertThat(floored.reason()).endsWith("-> 0; raised to min 2");
  }

  @Test
  void aCountAboveANewMaxIsCutToTheMaxAtOnce() {
    Timeline timeline = new Timeline(concurrency(1, 3, 10), 8);

    assertThat(timeline.step(concurrent(80)).desired()).isEqualTo(3);
  }

  @Test
  void anRpsTargetSizesByRequestsPerSecond() {
    Timeline timeline = new Timeline(AutoscaleSpec.of(1, 10, Metric.RPS, 50), 2);

    Decision decision = timeline.step(rps(120));

    assertThat(decision.desired()).isEqualTo(3);
    assertThat(decision.reason()).isEqualTo("stable: 120.0 requests/s over 60 s is 120% of target 50 for 2 instance(s) -> 3");
  }

  @Test
  void aCpuTargetSizesByTheSummedCpuPercent() {
    Timeline timeline = new Timeline(AutoscaleSpec.of(1, 10, Metric.CPU, 60), 2);

    Decision decision = timeline.step(cpu(150));

    assertThat(decision.desired()).isEqualTo(3);
    assertThat(decision.reason()).isEqualTo("stable: 150.0% CPU over 60 s is 125% of target 60 for 2 instance(s) -> 3");
  }

  @Test
  void withoutSamplesTheCountIsKept() {
    Decision decision = new Kpa().decide(concurrency(1, 10, 10), new MetricWindow(Duration.ofSeconds(60)),
        State.INITIAL, 4, Timeline.T0);

    assertThat(decision.desired()).isEqualTo(4);
    assertThat(decision.changes()).isFalse();
    assertThat(decision.next()).isEqualTo(State.INITIAL);
    assertThat(decision.reason()).isEqualTo("no load samples in the last 60 s, keeping 4");
  }

  @Test
  void samplesOlderThanTheStableWindowCountAsNoSamples() {
    AutoscaleSpec spec = concurrency(1, 10, 10);
    MetricWindow window = MetricWindow.forSpec(spec);
    window.add(new LoadSample(Timeline.T0, 90, 0, 0, 1, 9));

    Decision decision = new Kpa().decide(spec, window, State.INITIAL, 1, Timeline.T0.plusSeconds(61));

    assertThat(decision.desired()).isEqualTo(1);
  }

  @Test
  void onlyDecisionsThatChangeTheCountBecomeTheLastChange() {
    Timeline timeline = new Timeline(concurrency(1, 10, 10), 1);
    Decision up = timeline.step(concurrent(15));

    Decision same = timeline.step(concurrent(15));

    assertThat(up.changes()).isTrue();
    assertThat(same.changes()).isFalse();
    assertThat(same.next().lastChange()).isEqualTo(new Change(up.at(), 1, 2, up.reason()));
  }

  @Test
  void aNegativeCurrentCountIsAProgrammingError() {
    assertThatThrownBy(() -> new Kpa().decide(concurrency(1, 10, 10), new MetricWindow(Duration.ofSeconds(6)),
        State.INITIAL, -1, Timeline.T0)).isInstanceOf(IllegalArgumentException.class);
  }
}
