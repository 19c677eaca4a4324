package dev.pier.runtime.local;

import static dev.pier.model.InstanceState.CRASHED;
import static dev.pier.model.InstanceState.UP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.Probes;
import dev.pier.sandbox.AppUser;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Readiness interval and liveness probes of real sandboxed node web instances. */
@Timeout(60)
class InstanceProbesTest {
  private static final AppUser USER = new AppUser(61005, 61005);
  /** Answers /ready with 503 until its third request, then 200; logs each. /sick fails from /sicken on. */
  private static final String SERVER = """
      node -e '
      let probes = 0; let sick = false;
      require("http").createServer((q, r) => {
        if (q.url === "/ready") { probes++; console.log("probe " + probes + " " + Date.now()); r.statusCode = probes >= 3 ? 200 : 503; }
        if (q.url === "/sicken") sick = true;
        if (q.url === "/live") r.statusCode = sick ? 500 : 200;
        r.end("ok");
      }).listen(process.env.PORT, "127.0.0.1");'
      """;

  @RegisterExtension
  static final BackendFixture fixture = BackendFixture.inCgroup("pier-test-probes").appsNamed("pr");

  private static InstanceSpec spec(Probes probes) {
    return new InstanceSpec(AppName.of(fixture.app()), ProcessType.of("web"), 1, 1, fixture.serverSlug(),
        SERVER, Map.of(), USER, 256L << 20, Duration.ofSeconds(2), 0, "/ready").withProbes(probes);
  }

  @Test
  void theReadinessPathIsAskedOncePerIntervalWhileStarting() throws Exception {
    fixture.backend().start(spec(new Probes(Duration.ofMillis(400), null)));

    fixture.awaitState("web.1", UP);

    var probes = fixture.lines("web.1").stream().map(RecordingListener.Line::text).toList();
    assertThat(probes).hasSize(3).allMatch(l -> l.startsWith("probe "));
    long first = Long.parseLong(probes.get(0).split(" ")[2]);
    long third = Long.parseLong(probes.get(2).split(" ")[2]);
    assertThat(third - first).as("two intervals of 400 ms between the app's first and third probe")
        .isGreaterThanOrEqualTo(780);
  }

  @Test
  void anInstanceFailingItsLivenessCheckIsKilledAndRestartedSayingWhy() throws Exception {
    Probes.Liveness live = new Probes.Liveness("/live", Duration.ofMillis(200), Duration.ofSeconds(1), 3, 1,
        Duration.ZERO);
    fixture.backend().start(spec(new Probes(null, live)));
    fixture.awaitState("web.1", UP);
    Thread.sleep(1_000); // five passing probes: nothing happens
    assertThat(fixture.single().restarts()).isZero();

    java.net.http.HttpResponse<String> sicken = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            "http://127.0.0.1:" + fixture.single().port() + "/sicken")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(sicken.statusCode()).isEqualTo(200);

    String event = fixture.awaitEvent("web.1", m -> m.startsWith("liveness"), Duration.ofSeconds(10));
    assertThat(event).isEqualTo("liveness check failed 3 times, restarting web.1");
    RecordingListener.Change crash = fixture.awaitState("web.1", CRASHED, 1, Duration.ofSeconds(10));
    assertThat(crash.reason()).isEqualTo("Process killed: liveness check GET /live failed 3 times in a row");
    fixture.awaitState("web.1", UP, 2, Duration.ofSeconds(15));
    assertThat(fixture.single().restarts()).isEqualTo(1);
  }
}
