package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.deploy.ProcessManager;
import dev.pier.deploy.Scaler;
import dev.pier.release.ReleaseService;
import dev.pier.runtime.InstanceStatus;
import dev.pier.errors.PlatformException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /apps/APP/ps} and {@code /apps/APP/formation}: instances, scaling, restarts. */
final class ProcessRoutes {
  /**
   * The wire form of an instance. {@code reason} says why it is not running ("exited with code
   * 1"), with the last lines of its output; {@code restartInSeconds} how long a crashed instance
   * waits before it starts again. All three are null (or empty) while it runs.
   */
  record InstanceView(
      String name, String type, String state, int release, String version, String command,
      Instant startedAt, long uptimeSeconds, int restarts, String reason, List<String> lastOutput,
      Long restartInSeconds) {}

  private final AppService apps;
  private final ReleaseService releases;
  private final ProcessManager processes;
  private final Scaler scaler;
  private final InstantSource clock;

  ProcessRoutes(
      AppService apps, ReleaseService releases, ProcessManager processes, Scaler scaler,
      InstantSource clock) {
    this.apps = apps;
    this.releases = releases;
    this.processes = processes;
    this.scaler = scaler;
    this.clock = clock;
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/ps", ex -> {
      App app = apps.get(ex.param(1));
      Instant now = clock.instant();
      List<InstanceView> views =
          processes.list(app.name().value()).stream().map(s -> view(s, now)).toList();
      ex.json(200, views);
    });
    api.on("GET", AppRoutes.APP + "/formation", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, app.hasRelease() ? processes.formation(app.name(), releases.current(app)) : Map.of());
    });
    api.on("PATCH", AppRoutes.APP + "/formation", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      Map<String, Integer> changes = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isInt()) {
          throw PlatformException.invalid("count for " + e.getKey() + " must be a whole number");
        }
        changes.put(e.getKey(), e.getValue().asInt());
      }
      if (changes.isEmpty()) throw PlatformException.invalid("no process types given, e.g. {\"web\": 2}");
      ex.json(200, scaler.scale(app, changes, ex.user));
    });
    api.on("POST", AppRoutes.APP + "/ps/restart", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      String target = body.hasNonNull("instance") ? body.get("instance").asText()
          : body.hasNonNull("type") ? body.get("type").asText() : null;
      List<String> restarted = scaler.restart(app, target, ex.user);
      ex.json(200, Map.of("restarted", restarted));
    });
  }

  static InstanceView view(InstanceStatus s, Instant now) {
    long uptime = s.startedAt() == null ? 0 : Math.max(0, Duration.between(s.startedAt(), now).toSeconds());
    Long restartIn = s.restartAt() == null ? null
        : Math.max(0, (Duration.between(now, s.restartAt()).toMillis() + 999) / 1000);
    return new InstanceView(
        s.name(), s.type(), s.state().wireName(), s.release(), "v" + s.release(), s.command(),
        s.startedAt(), uptime, s.restarts(), s.reason() == null ? null : s.reason().words(),
        s.reason() == null ? List.of() : s.reason().lastOutput(), restartIn);
  }
}
