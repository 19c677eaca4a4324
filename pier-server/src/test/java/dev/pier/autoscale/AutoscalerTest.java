package dev.pier.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.deploy.MutableClock;
import dev.pier.deploy.Platform;
import dev.pier.model.InstanceState;
import dev.pier.router.RouterLoad;
import dev.pier.router.VersionLoad;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.ResourceUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoscaler's loop around the KPA, on a fake clock with router load written by the test:
 * what it samples, what it decides per version, what it logs, and waking from zero.
 */
class AutoscalerTest {
  @TempDir Path tmp;
  private Platform platform;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T05:00:00Z"));
  private final FakeSources sources = new FakeSources();
  private Autoscaler autoscaler;

  /** Router load per version as an integral the test advances, plus apps, specs and instances. */
  private final class FakeSources implements Autoscaler.Sources {
    final Map<String, String> specs = new HashMap<>();
    final Set<Integer> versions = new TreeSet<>(Set.of(1));
    final Map<Integer, Double> concurrency = new HashMap<>();
    final Map<Integer, long[]> integrals = new HashMap<>(); // version -> {micros, completed}
    final List<String> logged = new ArrayList<>();
    long nanos;

    @Override public List<String> apps() { return List.of("hello"); }
    @Override public Map<String, String> specs(String app) { return Map.copyOf(specs); }
    @Override
    public Map<Integer, Map<String, Integer>> desired(String app) {
      Map<Integer, Map<String, Integer>> counts = new HashMap<>();
      for (int v : versions) counts.put(v, Map.of("web", autoscaler.count("hello", v, "web", 1)));
      return counts;
    }

    @Override
    public List<InstanceStatus> instances(String app) {
      List<InstanceStatus> result = new ArrayList<>();
      for (int v : versions) {
        int n = autoscaler.count("hello", v, "web", 1);
        for (int i = 1; i <= n; i++) {
          result.add(new InstanceStatus("hello", "web." + i + "-g" + (v * 100 + i), "web." + i, "web", i, v,
              InstanceState.UP, clock.instant(), 30_000 + v * 100 + i, 0, "node server.js", null, null));
        }
      }
      return result;
    }

    @Override public Optional<ResourceUsage> usage(InstanceStatus instance) { return Optional.empty(); }

    @Override
    public RouterLoad load() {
      List<VersionLoad> loads = new ArrayList<>();
      for (int v : versions) {
        long[] acc = integrals.computeIfAbsent(v, k -> new long[2]);
        double c = concurrency.getOrDefault(v, 0.0);
        loads.add(new VersionLoad("hello", v, (int) Math.ceil(c), 0, acc[1], acc[0]));
      }
      return new RouterLoad(nanos, loads, Map.of());
    }

    @Override public void log(String app, String message) { logged.add(message); }

    /** Time passes with the current concurrency per version. */
    void advance(Duration d) {
      for (int v : versions) {
        long[] acc = integrals.computeIfAbsent(v, k -> new long[2]);
        double c = concurrency.getOrDefault(v, 0.0);
        acc[0] += (long) (c * d.toNanos() / 1000);
        acc[1] += (long) (c * d.toSeconds() * 5); // 200 ms answers
      }
      nanos += d.toNanos();
      clock.advance(d);
    }
  }

  @BeforeEach
  void open() {
    platform = new Platform(tmp);
    autoscaler = new Autoscaler(sources, platform.reconciler, clock, Duration.ofSeconds(1));
  }

  @AfterEach
  void close() {
    platform.close();
  }

  private void ticks(int n) {
    for (int i = 0; i < n; i++) {
      sources.advance(Duration.ofSeconds(1));
      autoscaler.tick();
    }
  }

  @Test
  void aTypeThatDoesNotAutoscaleKeepsItsFormationCount() {
    assertThat(autoscaler.count("hello", 1, "worker", 3)).isEqualTo(3);
  }

  @Test
  void anAutoscaledTypeStartsAtItsFormationCountWithinItsBoundsAndAtLeastOne() {
    sources.specs.put("web", "{\"min\":0,\"max\":3}");

    assertThat(autoscaler.count("hello", 1, "web", 0)).isEqualTo(1);
    assertThat(autoscaler.count("hello", 1, "web", 7)).isEqualTo(3);
  }

  @Test
  void loadOnOneVersionOfASplitScalesThatVersionOnlyAndLogsTheNumbers() {
    sources.specs.put("web", "{\"min\":1,\"max\":10,\"target_concurrency\":2,\"stable_window_seconds\":6}");
    sources.versions.add(2);
    ticks(2);
    sources.concurrency.put(2, 8.0);

    ticks(8);

    assertThat(autoscaler.count("hello", 2, "web", 1)).isEqualTo(4);
    assertThat(autoscaler.count("hello", 1, "web", 1)).isEqualTo(1);
    assertThat(sources.logged).anyMatch(l -> l.startsWith("Autoscaler: web of v2 1 -> ") && l.contains("concurrent"))
        .noneMatch(l -> l.startsWith("Autoscaler: web of v1"));
    assertThat(autoscaler.status("hello", 2, "web")).hasValueSatisfying(s -> {
      assertThat(s.desired()).isEqualTo(4);
      assertThat(s.observed().concurrency()).isEqualTo(8.0, org.assertj.core.data.Offset.offset(0.01));
      assertThat(s.lastChange().to()).isEqualTo(4);
    });
  }

  @Test
  void anIdleVersionGoesToZeroAfterTheIdleGraceAndAHeldRequestWakesItAtOnce() throws Exception {
    sources.specs.put("web", "{\"min\":0,\"max\":2,\"idle_seconds\":3,\"stable_window_seconds\":6}");
    ticks(2);
    assertThat(autoscaler.count("hello", 1, "web", 1)).as("not before the grace").isEqualTo(1);

    ticks(6);
    assertThat(autoscaler.count("hello", 1, "web", 1)).isZero();
    assertThat(sources.logged).anyMatch(l -> l.startsWith("Autoscaler: web of v1 1 -> 0: "));

    autoscaler.wake("hello", 1);
    autoscaler.wake("hello", 1); // the router may call again: one wake

    assertThat(autoscaler.count("hello", 1, "web", 0)).isEqualTo(1);
    Thread.sleep(100); // the wake's log line is written off the router's thread
    assertThat(sources.logged.stream().filter(l -> l.contains("0 -> 1: a request is waiting"))).hasSize(1);
  }

  @Test
  void aChangedSpecStartsOverWithinItsNewBounds() {
    sources.specs.put("web", "{\"min\":1,\"max\":10,\"target_concurrency\":1,\"stable_window_seconds\":6}");
    sources.concurrency.put(1, 6.0);
    ticks(8);
    assertThat(autoscaler.count("hello", 1, "web", 1)).isEqualTo(6);

    sources.specs.put("web", "{\"min\":1,\"max\":3,\"target_concurrency\":1,\"stable_window_seconds\":6}");
    ticks(1);

    assertThat(autoscaler.count("hello", 1, "web", 1)).isEqualTo(3);
  }

  @Test
  void aVersionThatStopsRunningIsForgotten() {
    sources.specs.put("web", "{\"min\":2,\"max\":4}");
    sources.versions.add(2);
    ticks(2);
    assertThat(autoscaler.status("hello", 2, "web")).isPresent();

    sources.versions.remove(2);
    ticks(1);

    assertThat(autoscaler.status("hello", 2, "web")).isEmpty();
  }
}
