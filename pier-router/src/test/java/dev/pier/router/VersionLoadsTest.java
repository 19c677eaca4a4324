package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.RouteTable;
import org.junit.jupiter.api.Test;

class VersionLoadsTest {
  private final VersionLoads loads = new VersionLoads();

  private VersionLoad only() {
    assertThat(loads.snapshot(System.nanoTime())).hasSize(1);
    return loads.snapshot(System.nanoTime()).getFirst();
  }

  @Test
  void aConnectionsPreviousCounterIsReusedForTheSameVersion() {
    VersionLoads.Counter first = loads.begin("shop", 1, false);
    first.end(false, true);
    VersionLoads.Counter second = loads.begin(first, "shop", 1, false);
    assertThat(second).isSameAs(first);
    assertThat(only().inFlight()).isEqualTo(1);
    assertThat(loads.begin(first, "shop", 2, false)).isNotSameAs(first);
  }

  @Test
  void aPrunedCounterIsNotCountedOnThroughAHint() {
    VersionLoads.Counter old = loads.begin("shop", 1, false);
    old.end(false, true);
    loads.prune(RouteTable.EMPTY); // version 1 is gone and idle: retired
    assertThat(loads.snapshot(System.nanoTime())).isEmpty();

    VersionLoads.Counter fresh = loads.begin(old, "shop", 1, false);
    assertThat(fresh).isNotSameAs(old);
    assertThat(only().inFlight()).isEqualTo(1); // visible to the autoscaler, not lost
  }

  @Test
  void aBusyCounterSurvivesPruning() {
    VersionLoads.Counter busy = loads.begin("shop", 1, false);
    loads.prune(RouteTable.EMPTY);
    assertThat(loads.begin(busy, "shop", 1, false)).isSameAs(busy);
    assertThat(only().inFlight()).isEqualTo(2);
  }
}
