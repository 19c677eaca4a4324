package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.SplitBy;
import dev.pier.model.VersionRoute;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionPickerTest {
  private static final Backend A = new Backend("v1.web.1", "127.0.0.1", 5001);
  private static final Backend B = new Backend("v2.web.1", "127.0.0.1", 5002);
  private static final Backend C = new Backend("v3.web.1", "127.0.0.1", 5003);

  private static Route route(VersionRoute... versions) {
    return new Route("hello", SplitBy.RANDOM, List.of(versions));
  }

  private static int picked(Route route, int bucket) {
    VersionRoute v = VersionPicker.pick(route, bucket, n -> false);
    return v == null ? -1 : v.version();
  }

  @Test
  void bucketsAreCutByCumulativeSharesInVersionOrder() {
    // Listed out of order on purpose: version numbers decide the order of the ranges.
    Route route = route(new VersionRoute(2, 10, List.of(B)), new VersionRoute(1, 90, List.of(A)));
    assertThat(picked(route, 0)).isEqualTo(1);
    assertThat(picked(route, 8999)).isEqualTo(1);
    assertThat(picked(route, 9000)).isEqualTo(2);
    assertThat(picked(route, 9999)).isEqualTo(2);
  }

  @Test
  void versionsWithoutAShareNeverGetTraffic() {
    Route route = route(new VersionRoute(1, 0, List.of(A)), new VersionRoute(2, 100, List.of(B)));
    for (int bucket = 0; bucket < VersionPicker.BUCKETS; bucket += 37) {
      assertThat(picked(route, bucket)).isEqualTo(2);
    }
  }

  @Test
  void sharesThatDoNotAddUpTo100AreScaled() {
    Route route = route(new VersionRoute(1, 30, List.of(A)), new VersionRoute(2, 30, List.of(B)));
    assertThat(picked(route, 4999)).isEqualTo(1);
    assertThat(picked(route, 5000)).isEqualTo(2);
    assertThat(picked(route, 9999)).isEqualTo(2);
  }

  @Test
  void versionWithoutBackendsFallsBackToOthersWeightedByShare() {
    Route route = route(new VersionRoute(1, 50, List.of()), new VersionRoute(2, 25, List.of(B)),
        new VersionRoute(3, 25, List.of(C)));
    int[] counts = new int[4];
    for (int bucket = 0; bucket < 5000; bucket++) counts[picked(route, bucket)]++;
    assertThat(counts[1]).isZero();
    assertThat(counts[2]).isEqualTo(2500);
    assertThat(counts[3]).isEqualTo(2500);
    assertThat(picked(route, 5000)).isEqualTo(2); // clients of healthy versions stay put
    assertThat(picked(route, 9999)).isEqualTo(3);
  }

  @Test
  void excludedVersionIsAvoided() {
    Route route = route(new VersionRoute(1, 90, List.of(A)), new VersionRoute(2, 10, List.of(B)));
    assertThat(VersionPicker.pick(route, 0, n -> n == 1).version()).isEqualTo(2);
    assertThat(VersionPicker.pick(route, 0, n -> true)).isNull();
  }

  @Test
  void noVersionWithShareAndBackendsMeansNull() {
    assertThat(picked(route(new VersionRoute(1, 0, List.of(A))), 0)).isEqualTo(-1);
    assertThat(picked(route(new VersionRoute(1, 100, List.of())), 0)).isEqualTo(-1);
    assertThat(picked(route(), 0)).isEqualTo(-1);
    assertThat(VersionPicker.byShare(route(new VersionRoute(1, 100, List.of())), 0).version())
        .isEqualTo(1);
  }

  @Test
  void bucketOutsideRangeIsRejected() {
    Route route = route(new VersionRoute(1, 100, List.of(A)));
    assertThatThrownBy(() -> VersionPicker.pick(route, 10_000, n -> false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VersionPicker.pick(route, -1, n -> false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int heldFor(Route route, int bucket) {
    VersionRoute v = VersionPicker.holdFor(route, bucket);
    return v == null ? -1 : v.version();
  }

  @Test
  void requestWaitsForItsOwnVersionWhenThatOneIsStarting() {
    Route route = route(new VersionRoute(1, 50, List.of(), true),
        new VersionRoute(2, 50, List.of(), true));
    assertThat(heldFor(route, 0)).isEqualTo(1);
    assertThat(heldFor(route, 9999)).isEqualTo(2);
  }

  @Test
  void requestWhoseVersionIsNotStartingWaitsForOneThatIs() {
    Route route = route(new VersionRoute(1, 50, List.of(), false),
        new VersionRoute(2, 50, List.of(), true));
    assertThat(heldFor(route, 0)).isEqualTo(2);
    assertThat(heldFor(route, 9999)).isEqualTo(2);
  }

  @Test
  void nothingIsWaitedForWhenNoVersionWithAShareIsStarting() {
    assertThat(heldFor(route(new VersionRoute(1, 100, List.of())), 5)).isEqualTo(-1);
    assertThat(heldFor(route(new VersionRoute(1, 0, List.of(), true),
        new VersionRoute(2, 100, List.of())), 5)).isEqualTo(-1);
  }
}
