package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.model.Backend;
import dev.pier.model.VersionRoute;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastInFlightTest {
  private final Backend web1 = new Backend("web.1", "127.0.0.1", 5001);
  private final Backend web2 = new Backend("web.2", "127.0.0.1", 5002);
  private final Backend web3 = new Backend("web.3", "127.0.0.1", 5003);
  private final LeastInFlight balancer = new LeastInFlight();
  private final InFlight inFlight = new InFlight();

  private static VersionRoute v(Backend... backends) {
    return new VersionRoute(1, 100, List.of(backends));
  }

  private Backend pick(VersionRoute version, Backend exclude) {
    return balancer.pick("hello", version, exclude, inFlight::count);
  }

  @Test
  void theIdleInstanceIsPicked() {
    inFlight.begin(web1);
    inFlight.begin(web1);
    inFlight.begin(web3);
    for (int i = 0; i < 50; i++) assertThat(pick(v(web1, web2, web3), null)).isEqualTo(web2);
  }

  @Test
  void theLeastBusyIsPickedWhenNoneIsIdle() {
    for (int i = 0; i < 3; i++) inFlight.begin(web1);
    inFlight.begin(web2);
    for (int i = 0; i < 2; i++) inFlight.begin(web3);
    assertThat(pick(v(web1, web2, web3), null)).isEqualTo(web2);
  }

  @Test
  void aRetryNeverLandsOnTheInstanceThatFailed() {
    inFlight.begin(web2);
    assertThat(pick(v(web1, web2), web1)).isEqualTo(web2);
    assertThat(pick(v(web1), web1)).isNull();
    assertThat(pick(v(), null)).isNull();
  }

  @Test
  void tiesSpreadOverTheTiedInstances() {
    Map<Backend, Integer> picks = new HashMap<>();
    for (int i = 0; i < 3000; i++) picks.merge(pick(v(web1, web2, web3), null), 1, Integer::sum);
    assertThat(picks.keySet()).containsExactlyInAnyOrder(web1, web2, web3);
    assertThat(picks.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
  }

  @Test
  void aSlowInstanceGetsFewerRequests() {
    // Ten concurrent clients in ticks: web.1 answers in 1 tick, web.2 in 10.
    Map<Backend, Integer> served = servedBy(v(web1, web2), Map.of(web1, 1, web2, 10));
    assertThat(served.get(web2)).isLessThan(served.get(web1) / 3);
  }

  @Test
  void largeVersionsStillAvoidBusyInstances() {
    List<Backend> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) many.add(new Backend("web." + i, "127.0.0.1", 6000 + i));
    Backend busy = many.get(0);
    for (int i = 0; i < 5; i++) inFlight.begin(busy);
    VersionRoute version = new VersionRoute(1, 100, many);
    for (int i = 0; i < 500; i++) assertThat(pick(version, null)).isNotEqualTo(busy);
  }

  @Test
  void balancersAreChosenByName() {
    assertThat(LoadBalancer.named(null)).isInstanceOf(LeastInFlight.class);
    assertThat(LoadBalancer.named("least-in-flight")).isInstanceOf(LeastInFlight.class);
    assertThat(LoadBalancer.named("round-robin")).isInstanceOf(RoundRobin.class);
    assertThatThrownBy(() -> LoadBalancer.named("random"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("least-in-flight or round-robin");
  }

  @Test
  void inFlightCountsSurvivePruningOfIdleCounters() {
    inFlight.begin(web1);
    for (int i = 0; i < InFlight.PRUNE_ABOVE + 10; i++) {
      Backend b = new Backend("x", "127.0.0.1", 10000 + i);
      inFlight.begin(b);
      inFlight.end(b);
    }
    assertThat(inFlight.count(web1)).isEqualTo(1);
    assertThat(inFlight.snapshot()).containsOnlyKeys("127.0.0.1:5001");
    inFlight.end(web1);
    assertThat(inFlight.total()).isZero();
  }

  private Map<Backend, Integer> servedBy(VersionRoute version, Map<Backend, Integer> ticks) {
    return servedBy(version, ticks, balancer);
  }

  /** Simulates clients that each send a new request as soon as their last one is answered. */
  private Map<Backend, Integer> servedBy(VersionRoute version, Map<Backend, Integer> ticks,
      LoadBalancer lb) {
    Map<Backend, Integer> served = new HashMap<>();
    record Pending(Backend backend, int doneAt) {}
    ArrayDeque<Pending> pending = new ArrayDeque<>();
    for (int tick = 0; tick < 200; tick++) {
      final int now = tick;
      pending.removeIf(p -> {
        if (p.doneAt() > now) return false;
        inFlight.end(p.backend());
        served.merge(p.backend(), 1, Integer::sum);
        return true;
      });
      while (pending.size() < 10) {
        Backend b = lb.pick("hello", version, null, inFlight::count);
        inFlight.begin(b);
        pending.add(new Pending(b, now + ticks.get(b)));
      }
    }
    return served;
  }
}
