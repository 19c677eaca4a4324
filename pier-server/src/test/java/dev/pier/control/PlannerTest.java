package dev.pier.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.InstanceState;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.RunMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The plans the reconciler makes, read as data: given what should run, what runs and the time,
 * which instances start, drain and stop. No threads, no clock, no backend.
 */
class PlannerTest {
  private static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");
  private static final Duration DRAIN = Duration.ofSeconds(30);
  private final Planner planner = new Planner(DRAIN);

  private static InstanceStatus instance(int version, String type, int index, long generation, InstanceState state) {
    String name = type + "." + index;
    return new InstanceStatus("hello", name + "-g" + generation, name, type, index, version, state,
        NOW.minusSeconds(60), state == InstanceState.UP ? 30_000 + (int) generation : 0, 0, "node server.js",
        null, null);
  }

  private static InstanceStatus up(int version, String type, int index, long generation) {
    return instance(version, type, index, generation, InstanceState.UP);
  }

  private static DesiredApp want(Map<Integer, Map<String, Integer>> counts, RestartRequest... restarts) {
    return new DesiredApp("hello", counts, List.of(restarts));
  }

  private Plan plan(DesiredApp desired, InstanceStatus... instances) {
    return planner.plan(desired, ObservedApp.of(List.of(instances)), NOW);
  }

  private static List<Slot> starts(Plan plan) {
    return plan.of(Action.Start.class).stream().map(Action.Start::slot).toList();
  }

  private static List<String> drains(Plan plan) {
    return plan.of(Action.Drain.class).stream().map(Action.Drain::id).toList();
  }

  private static List<String> stops(Plan plan) {
    return plan.of(Action.Stop.class).stream().map(Action.Stop::id).toList();
  }

  @Test
  void whatRunsMatchingWhatShouldRunNeedsNothing() {
    Plan plan = plan(want(Map.of(1, Map.of("web", 2, "worker", 0))), up(1, "web", 1, 1), up(1, "web", 2, 2));

    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void scalingUpStartsEveryMissingIndexOfEveryRunningVersion() {
    Plan plan = plan(want(Map.of(1, Map.of("web", 3), 2, Map.of("web", 3, "worker", 1))),
        up(1, "web", 1, 1), up(2, "web", 2, 2));

    assertThat(starts(plan)).containsExactly(
        new Slot(1, "web", 2), new Slot(1, "web", 3),
        new Slot(2, "web", 1), new Slot(2, "web", 3), new Slot(2, "worker", 1));
    assertThat(drains(plan)).isEmpty();
    assertThat(stops(plan)).isEmpty();
  }

  @Test
  void scalingDownDrainsTheHighestWebIndexesAndStopsWorkersAtOnce() {
    Plan plan = plan(want(Map.of(1, Map.of("web", 1, "worker", 1))),
        up(1, "web", 1, 1), up(1, "web", 2, 2), up(1, "web", 3, 3), up(1, "worker", 1, 4), up(1, "worker", 2, 5));

    assertThat(drains(plan)).containsExactly("web.2-g2", "web.3-g3");
    assertThat(stops(plan)).containsExactly("worker.2-g5");
    assertThat(plan.of(Action.Drain.class)).allMatch(d -> d.why().equals("web of v1 scaled to 1"));
    assertThat(starts(plan)).isEmpty();
  }

  @Test
  void aRolloutStartsTheNewVersionBesideTheOldAndRetiresTheOldOnlyOnceItIsNoLongerWanted() {
    // Step 1: v2 is marked running beside v1 (before traffic moves): v2 starts, v1 is untouched.
    Plan starting = plan(want(Map.of(1, Map.of("web", 2), 2, Map.of("web", 2))),
        up(1, "web", 1, 1), up(1, "web", 2, 2));
    assertThat(starts(starting)).containsExactly(new Slot(2, "web", 1), new Slot(2, "web", 2));
    assertThat(drains(starting)).isEmpty();

    // Step 2: traffic moved and v1 is no longer wanted: v1 drains; v2 is left alone.
    Plan retiring = plan(want(Map.of(2, Map.of("web", 2))),
        up(1, "web", 1, 1), up(1, "web", 2, 2), up(2, "web", 1, 3), up(2, "web", 2, 4));
    assertThat(drains(retiring)).containsExactly("web.1-g1", "web.2-g2");
    assertThat(retiring.of(Action.Drain.class)).allMatch(d -> d.why().equals("v1 no longer runs"));
    assertThat(starts(retiring)).isEmpty();
  }

  @Test
  void aRollbackIsTheSamePlanTowardsAnOlderSlug() {
    // A rollback makes a new version (v3) from v1's slug: to the planner, just another version.
    Plan plan = plan(want(Map.of(2, Map.of("web", 1), 3, Map.of("web", 1))), up(2, "web", 1, 7));

    assertThat(starts(plan)).containsExactly(new Slot(3, "web", 1));
  }

  @Test
  void aFailedRolloutTakesBackTheNewVersionByStoppingItsInstancesThatNeverCameUp() {
    Plan plan = plan(want(Map.of(1, Map.of("web", 1))),
        up(1, "web", 1, 1), instance(2, "web", 1, 2, InstanceState.CRASHED), instance(2, "web", 2, 3, InstanceState.STARTING));

    assertThat(stops(plan)).as("not up, so nothing to drain").containsExactly("web.1-g2", "web.2-g3");
    assertThat(drains(plan)).isEmpty();
  }

  @Test
  void aCrashedInstanceWaitingForItsRestartStillFillsItsSlot() {
    Plan plan = plan(want(Map.of(1, Map.of("web", 1))), instance(1, "web", 1, 1, InstanceState.CRASHED));

    assertThat(plan.isEmpty()).as("the backend restarts it with backoff; no second instance").isTrue();
  }

  @Test
  void anInstanceThatIsGoneIsStartedAgain() {
    Plan plan = plan(want(Map.of(1, Map.of("web", 2))), up(1, "web", 2, 2));

    assertThat(starts(plan)).containsExactly(new Slot(1, "web", 1));
  }

  @Test
  void aRestartStartsReplacementsBesideTheOutdatedInstancesFirst() {
    RestartRequest all = new RestartRequest(null, null, 10);
    Plan plan = plan(want(Map.of(1, Map.of("web", 2, "worker", 1)), all),
        up(1, "web", 1, 1), up(1, "web", 2, 2), up(1, "worker", 1, 3));

    assertThat(starts(plan)).containsExactly(new Slot(1, "web", 1), new Slot(1, "web", 2), new Slot(1, "worker", 1));
    assertThat(drains(plan)).isEmpty();
    assertThat(stops(plan)).isEmpty();
  }

  @Test
  void aRestartRetiresAnOutdatedInstanceOnlyOnceItsReplacementIsUp() {
    RestartRequest all = new RestartRequest(null, null, 10);
    Plan plan = plan(want(Map.of(1, Map.of("web", 2)), all),
        up(1, "web", 1, 1), up(1, "web", 2, 2),
        up(1, "web", 1, 10), instance(1, "web", 2, 11, InstanceState.STARTING));

    assertThat(drains(plan)).containsExactly("web.1-g1");
    assertThat(plan.of(Action.Drain.class).getFirst().why()).isEqualTo("restarted: replaced by web.1-g10");
    assertThat(starts(plan)).isEmpty();
  }

  @Test
  void aRestartOfOneInstanceOrTypeLeavesTheOthersAlone() {
    Plan one = plan(want(Map.of(1, Map.of("web", 2, "worker", 1)), new RestartRequest("web.2", null, 10)),
        up(1, "web", 1, 1), up(1, "web", 2, 2), up(1, "worker", 1, 3));
    Plan type = plan(want(Map.of(1, Map.of("web", 2, "worker", 1)), new RestartRequest("worker", null, 10)),
        up(1, "web", 1, 1), up(1, "web", 2, 2), up(1, "worker", 1, 3));
    Plan ofV2 = plan(want(Map.of(1, Map.of("web", 1), 2, Map.of("web", 1)), new RestartRequest("web.1", 2, 10)),
        up(1, "web", 1, 1), up(2, "web", 1, 2));

    assertThat(starts(one)).containsExactly(new Slot(1, "web", 2));
    assertThat(starts(type)).containsExactly(new Slot(1, "worker", 1));
    assertThat(starts(ofV2)).as("web.1 of v2 only, not web.1 of v1").containsExactly(new Slot(2, "web", 1));
  }

  @Test
  void aGivenUpRestartKeepsTheOldInstanceAndStopsTheReplacementThatCrashed() {
    // The restart request is gone (given up): old and new are both current; the one up stays.
    Plan plan = plan(want(Map.of(1, Map.of("web", 1))),
        up(1, "web", 1, 1), instance(1, "web", 1, 10, InstanceState.CRASHED));

    assertThat(stops(plan)).containsExactly("web.1-g10");
    assertThat(drains(plan)).isEmpty();
  }

  @Test
  void twoUpInstancesInOneSlotKeepTheNewest() {
    Plan plan = plan(want(Map.of(1, Map.of("web", 1))), up(1, "web", 1, 4), up(1, "web", 1, 9));

    assertThat(drains(plan)).containsExactly("web.1-g4");
  }

  @Test
  void aDrainingInstanceStopsOnceTheRouterHasNoRequestInFlightToIt() {
    InstanceStatus old = up(1, "web", 2, 2);
    DesiredApp desired = want(Map.of(1, Map.of("web", 1)));
    ObservedApp busy = new ObservedApp(List.of(up(1, "web", 1, 1), old),
        Map.of(old.id(), NOW.minusSeconds(5)), Set.of(), Map.of(old.id(), 2));
    ObservedApp idle = new ObservedApp(List.of(up(1, "web", 1, 1), old),
        Map.of(old.id(), NOW.minusSeconds(5)), Set.of(), Map.of(old.id(), 0));

    assertThat(planner.plan(desired, busy, NOW).isEmpty()).as("still serving 2 requests").isTrue();
    assertThat(stops(planner.plan(desired, idle, NOW))).containsExactly(old.id());
    assertThat(planner.plan(desired, idle, NOW).of(Action.Stop.class).getFirst().why()).isEqualTo("drained");
  }

  @Test
  void aDrainingInstanceWithRequestsThatNeverEndStopsAtTheDrainTimeout() {
    InstanceStatus old = up(1, "web", 1, 1);
    Instant since = NOW.minus(DRAIN);
    ObservedApp stuck = new ObservedApp(List.of(old), Map.of(old.id(), since), Set.of(), Map.of(old.id(), 1));

    assertThat(planner.plan(want(Map.of()), stuck, NOW.minusMillis(1)).isEmpty()).isTrue();
    Plan plan = planner.plan(want(Map.of()), stuck, NOW);
    assertThat(stops(plan)).containsExactly(old.id());
    assertThat(plan.of(Action.Stop.class).getFirst().why()).contains("drain timeout");
  }

  @Test
  void instancesBeingStoppedAreNeitherStoppedAgainNorCountedAsFillingTheirSlot() {
    InstanceStatus leaving = up(1, "web", 1, 1);
    ObservedApp observed = new ObservedApp(List.of(leaving, instance(1, "web", 2, 2, InstanceState.STOPPING)),
        Map.of(), Set.of(leaving.id()), Map.of());

    Plan plan = planner.plan(want(Map.of(1, Map.of("web", 2))), observed, NOW);

    assertThat(stops(plan)).isEmpty();
    assertThat(starts(plan)).containsExactly(new Slot(1, "web", 1), new Slot(1, "web", 2));
  }

  @Test
  void anAppThatShouldRunNothingHasEveryInstanceRetired() {
    Plan plan = plan(DesiredApp.nothing("hello"), up(1, "web", 1, 1), up(2, "worker", 1, 2),
        instance(2, "web", 1, 3, InstanceState.STARTING));

    assertThat(drains(plan)).containsExactly("web.1-g1");
    assertThat(stops(plan)).containsExactlyInAnyOrder("worker.1-g2", "web.1-g3");
  }

  @Test
  void oneOffRunsAreNeitherStoppedNorCountedAsTheFormation() {
    InstanceStatus web = up(1, "web", 1, 1);
    InstanceStatus run = new InstanceStatus("hello", "run.1-g9", "run.1", "run", 1, 1, InstanceState.UP,
        NOW.minusSeconds(5), 0, 0, "bash", null, null, InstanceStatus.LOOPBACK, null, null, RunMode.TASK);
    InstanceStatus taskAsWeb = new InstanceStatus("hello", "web.2-g8", "web.2", "web", 2, 1, InstanceState.UP,
        NOW.minusSeconds(5), 0, 0, "node job.js", null, null, InstanceStatus.LOOPBACK, null, null, RunMode.TASK);

    Plan plan = plan(want(Map.of(1, Map.of("web", 2))), web, run, taskAsWeb);

    assertThat(stops(plan)).isEmpty();
    assertThat(drains(plan)).isEmpty();
    assertThat(starts(plan)).containsExactly(new Slot(1, "web", 2));
  }

  @Test
  void thePlanIsAFunctionOfItsInputs() {
    List<InstanceStatus> instances = new ArrayList<>(List.of(up(1, "web", 1, 1), up(1, "web", 3, 3)));
    DesiredApp desired = want(Map.of(1, Map.of("web", 2), 2, Map.of("web", 1)));

    Plan first = planner.plan(desired, ObservedApp.of(instances), NOW);
    Plan second = planner.plan(desired, ObservedApp.of(instances), NOW);

    assertThat(first).isEqualTo(second);
  }
}
