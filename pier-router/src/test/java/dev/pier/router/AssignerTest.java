package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import dev.pier.model.SplitBy;
import dev.pier.model.VersionRoute;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AssignerTest {
  private static final String HOST = "hello.localhost";
  private static final Backend A1 = new Backend("web.1", "127.0.0.1", 5001);
  private static final Backend A2 = new Backend("web.2", "127.0.0.1", 5002);
  private static final Backend B1 = new Backend("web.1", "127.0.0.1", 6001);

  private final AtomicReference<RouteTable> published = new AtomicReference<>();
  private final InFlight inFlight = new InFlight();
  private final Assigner assigner = new Assigner(new RouterContext(RouterHarness.FAST,
      published::get, new RoundRobin(), inFlight, AccessLog.NONE, Transport.nio()));

  private static RouteTable table(VersionRoute... versions) {
    return new RouteTable(Map.of(HOST, new Route("hello", SplitBy.RANDOM, List.of(versions))));
  }

  private Assigner.Assignment assign(RouteTable seen, Backend failed, int failedVersion) {
    return assigner.assign(HOST, seen, seen.lookup(HOST), 0, failed, failedVersion);
  }

  @Test
  void chosenBackendIsCountedInFlight() {
    RouteTable table = table(new VersionRoute(1, 100, List.of(A1)));
    published.set(table);
    Assigner.Assignment a = assign(table, null, -1);
    assertThat(a.backend()).isEqualTo(A1);
    assertThat(a.version().version()).isEqualTo(1);
    assertThat(inFlight.count("127.0.0.1", 5001)).isEqualTo(1);
    assertThat(inFlight.total()).isEqualTo(1);
  }

  @Test
  void choiceFromATableReplacedMeanwhileIsRedoneFromTheNewTable() {
    RouteTable old = table(new VersionRoute(1, 100, List.of(A1)));
    published.set(table(new VersionRoute(2, 100, List.of(B1)))); // published after old was read
    Assigner.Assignment a = assign(old, null, -1);
    assertThat(a.backend()).isEqualTo(B1);
    assertThat(a.version().version()).isEqualTo(2);
    assertThat(inFlight.count("127.0.0.1", 5001)).isZero();
    assertThat(inFlight.total()).isEqualTo(1);
  }

  @Test
  void backendStillPublishedInANewTableIsKept() {
    RouteTable old = table(new VersionRoute(1, 100, List.of(A1)));
    published.set(table(new VersionRoute(1, 100, List.of(A1, A2))));
    assertThat(assign(old, null, -1).backend()).isEqualTo(A1);
  }

  @Test
  void retryPrefersAnotherInstanceOfTheSameVersion() {
    RouteTable table = table(new VersionRoute(1, 100, List.of(A1, A2)),
        new VersionRoute(2, 0, List.of(B1)));
    published.set(table);
    assertThat(assign(table, A1, 1).backend()).isEqualTo(A2);
  }

  @Test
  void retryMovesToAnotherVersionWithAShareWhenItsOwnHasNoOtherInstance() {
    RouteTable table = table(new VersionRoute(1, 90, List.of(A1)),
        new VersionRoute(2, 10, List.of(B1)));
    published.set(table);
    Assigner.Assignment a = assign(table, A1, 1);
    assertThat(a.backend()).isEqualTo(B1);
    assertThat(a.version().version()).isEqualTo(2);
  }

  @Test
  void nothingLeftMeansNoAssignmentAndNothingCounted() {
    RouteTable table = table(new VersionRoute(1, 100, List.of(A1)),
        new VersionRoute(2, 0, List.of(B1)));
    published.set(table);
    assertThat(assign(table, A1, 1)).isNull();
    assertThat(inFlight.total()).isZero();
  }
}
