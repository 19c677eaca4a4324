package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Autoscaling end to end, with the real router, reconciler and node instances: load adds
 * instances, quiet takes them away, and an app scaled to zero serves its next request after a
 * cold start instead of failing it.
 */
class AutoscaleTest {
  @TempDir Path tmp;

  private static long webInstances(PlatformHarness pier, Path repo) {
    Result ps = pier.cli(repo, "ps", "--json");
    if (ps.exit() != 0) return -1;
    return ps.out().split("\"type\"\\s*:\\s*\"web\"", -1).length - 1;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
      Thread.sleep(250);
    }
  }

  /** Logs in, creates {@code name} and pushes {@code files} to it with git; returns the repo. */
  private static Path deployed(PlatformHarness pier, String name, Map<String, String> files) throws Exception {
    pier.login();
    Path repo = pier.repo(name, files);
    PlatformHarness.check(pier.cli(repo, "apps:create", name));
    PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
    return repo;
  }

  @Test
  void loadAddsInstancesQuicklyAndQuietTakesThemAwayWithoutAFailedRequest() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      Path repo = deployed(pier, "busy", SampleApps.nodeSlow());
      // A 20 s stable window: instances added within a few seconds can only be the panic window's.
      Result enabled = PlatformHarness.check(pier.cli(repo, "autoscale:enable", "web", "--min", "1", "--max", "4",
          "--target-concurrency", "2", "--stable-window", "20s"));
      assertThat(enabled.out() + enabled.err()).contains("between 1 and 4");

      // 8 clients, 300 ms per answer: about 8 requests in flight, 4 instances at 2 each.
      try (LoadLoop load = new LoadLoop(pier, "busy", 8, body -> "ok")) {
        long t0 = System.nanoTime();
        await("more web instances under load", Duration.ofSeconds(30), () -> webInstances(pier, repo) > 1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("scaled up in panic, long before the stable window")
            .isLessThan(Duration.ofSeconds(10));
        await("4 web instances under load", Duration.ofSeconds(30), () -> webInstances(pier, repo) == 4);
        Thread.sleep(1000);
        load.close();
        assertThat(load.failures()).as("failed requests while scaling up").isEmpty();
        assertThat(load.requests()).isGreaterThan(20);
      }
      Result shown = PlatformHarness.check(pier.cli(repo, "autoscale"));
      assertThat(shown.out()).contains("web").containsIgnoringCase("concurren");

      await("back to 1 instance once quiet", Duration.ofSeconds(90), () -> webInstances(pier, repo) == 1);
      Result logs = PlatformHarness.check(pier.cli(repo, "logs", "-n", "500"));
      assertThat(logs.out()).as("every decision is in the app log with its numbers")
          .containsPattern("Autoscaler: web of v1 1 -> [234]: (stable|panic): [0-9.]+ concurrent over [0-9]+ s is [0-9]+% of target 2")
          .containsPattern("Autoscaler: web of v1 [234] -> [123]: stable: ");
      assertThat(pier.get("busy", "/").status()).isEqualTo(200);
    }
  }

  @Test
  void anIdleAppScalesToZeroAndItsNextRequestIsHeldThroughTheColdStartAndServed() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      Map<String, String> app = new java.util.LinkedHashMap<>(SampleApps.nodeSlow());
      app.put("Procfile", "web: DELAY_MS=0 node server.js\n");
      Path repo = deployed(pier, "sleepy", app);
      PlatformHarness.check(pier.cli(repo, "autoscale:enable", "web", "--min", "0", "--max", "2",
          "--idle", "2s", "--stable-window", "6s"));

      await("scaled to zero after the idle grace", Duration.ofSeconds(40), () -> webInstances(pier, repo) == 0);

      long t0 = System.nanoTime();
      PlatformHarness.Response first = pier.get("sleepy", "/");
      long heldMillis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(first.status()).as("held, not failed: %s", first).isEqualTo(200);
      assertThat(heldMillis).as("served after a cold start, well within the 30 s hold").isLessThan(15_000);
      assertThat(webInstances(pier, repo)).isEqualTo(1);

      Result logs = PlatformHarness.check(pier.cli(repo, "logs", "-n", "500"));
      assertThat(logs.out()).contains("Autoscaler: web of v1 1 -> 0")
          .contains("Autoscaler: web of v1 0 -> 1: a request is waiting");

      // A burst of concurrent first requests after the next sleep: all held, all served.
      await("asleep again", Duration.ofSeconds(40), () -> webInstances(pier, repo) == 0);
      try (LoadLoop burst = new LoadLoop(pier, "sleepy", 10, body -> "ok")) {
        await("awake", Duration.ofSeconds(20), () -> webInstances(pier, repo) >= 1);
        Thread.sleep(500);
        burst.close();
        assertThat(burst.failures()).as("requests that arrived while asleep").isEmpty();
      }
    }
  }

  @Test
  void aRequestToASingleInstanceThatJustCrashedIsHeldUntilItIsBackInsteadOfFailing() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      Path repo = deployed(pier, "fragile", SampleApps.nodeCrashOnDemand());
      String before = pier.awaitOk("fragile", "/", Duration.ofSeconds(20)).body();

      assertThat(pier.get("fragile", "/crash").body()).contains("crashing");
      Thread.sleep(300); // the process is gone; the backend restarts it

      PlatformHarness.Response after = pier.get("fragile", "/");
      assertThat(after.status()).as("held while web.1 restarted, not 503: %s", after).isEqualTo(200);
      assertThat(after.body()).as("answered by the restarted process").startsWith("boot ").isNotEqualTo(before);
      Result logs = PlatformHarness.check(pier.cli(repo, "logs", "-n", "300"));
      assertThat(logs.out()).contains("Process exited with status 1").containsPattern("held=\\d+ms");
    }
  }
}
