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
   * waits before it starts again. All three are null (or empty) while it runs. {@code oneOff} is
   * true for one-off processes and scheduled runs (tasks), which are no part of the formation.
   */
  record InstanceView(
      String name, String type, String state, int release, String version, String command,
      Instant startedAt, long uptimeSeconds, int restarts, String reason, List<String> lastOutput,
      Long restartInSeconds, Integer exitCode, Long bootMillis, Long memoryUsedMb, Long memoryLimitMb,
      Double cpus, boolean oneOff) {}

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
      String name = app.name().value();
      List<InstanceView> views = processes.list(name).stream()
          .map(s -> withLeavingReason(view(s, processes.usage(s), now),
              processes.reconciler().leavingReason(name, s.id()).orElse(null)))
          .toList();
      ex.json(200, views);
    });
    api.on("GET", AppRoutes.APP + "/formation", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, app.hasRelease() ? processes.formation(app.name(), releases.current(app)) : Map.of());
    });
    api.on("GET", AppRoutes.APP + "/formation/sizes", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, app.hasRelease() ? scaler.sizes(app) : Map.of());
    });
    api.on("PATCH", AppRoutes.APP + "/formation", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      if (!body.isObject()) throw PlatformException.invalid("body must be an object, e.g. {\"web\": 2}");
      Map<String, Integer> changes = new LinkedHashMap<>();
      Map<String, String> sizes = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if (v.isObject()) {
          for (Iterator<String> keys = v.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("quantity") && !key.equals("size")) {
              throw PlatformException.invalid("unknown key '" + key + "' for " + e.getKey() + ": use quantity and size");
            }
          }
          if (v.has("quantity")) {
            if (!v.get("quantity").isInt()) throw PlatformException.invalid("quantity for " + e.getKey() + " must be a whole number");
            changes.put(e.getKey(), v.get("quantity").asInt());
          }
          if (v.has("size")) {
            if (!v.get("size").isTextual()) throw PlatformException.invalid("size for " + e.getKey() + " must be a string, e.g. \"standard-2x\"");
            sizes.put(e.getKey(), v.get("size").asText());
          }
        } else if (v.isInt()) {
          changes.put(e.getKey(), v.asInt());
        } else {
          throw PlatformException.invalid("count for " + e.getKey() + " must be a whole number");
        }
      }
      if (changes.isEmpty() && sizes.isEmpty()) {
        throw PlatformException.invalid("no process types given, e.g. {\"web\": 2} or {\"web\": {\"size\": \"standard-2x\"}}");
      }
      for (String size : sizes.values()) dev.pier.deploy.InstanceSize.parse(size); // all or nothing
      Map<String, Integer> result = changes.isEmpty() ? null : scaler.scale(app, changes, ex.user);
      if (!sizes.isEmpty()) scaler.resize(app, sizes, ex.user);
      ex.json(200, result != null ? result : processes.formation(app.name(), releases.current(apps.get(app.name()))));
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

  /** The platform's reason for draining or stopping an instance, in place of the backend's. */
  private static InstanceView withLeavingReason(InstanceView v, String reason) {
    if (reason == null) return v;
    return new InstanceView(v.name(), v.type(), v.state(), v.release(), v.version(), v.command(),
        v.startedAt(), v.uptimeSeconds(), v.restarts(), reason, v.lastOutput(), v.restartInSeconds(),
        v.exitCode(), v.bootMillis(), v.memoryUsedMb(), v.memoryLimitMb(), v.cpus(), v.oneOff());
  }

  static InstanceView view(InstanceStatus s, Instant now) {
    return view(s, java.util.Optional.empty(), now);
  }

  /**
   * {@code bootMillis} is the instance's last cold start, from process start to ready; memory is
   * what it uses of its limit (when the backend can measure it).
   */
  static InstanceView view(InstanceStatus s, java.util.Optional<dev.pier.runtime.ResourceUsage> usage, Instant now) {
    long uptime = s.startedAt() == null ? 0 : Math.max(0, Duration.between(s.startedAt(), now).toSeconds());
    Long restartIn = s.restartAt() == null ? null
        : Math.max(0, (Duration.between(now, s.restartAt()).toMillis() + 999) / 1000);
    return new InstanceView(
        s.name(), s.type(), s.state().wireName(), s.release(), "v" + s.release(), s.command(),
        s.startedAt(), uptime, s.restarts(), s.reason() == null ? null : s.reason().words(),
        s.reason() == null ? List.of() : s.reason().lastOutput(), restartIn, s.exitCode(),
        s.readyAt() == null || s.startedAt() == null ? null : Duration.between(s.startedAt(), s.readyAt()).toMillis(),
        usage.map(u -> u.rssBytes() >> 20).orElse(null),
        usage.filter(u -> u.memoryLimitBytes() > 0).map(u -> u.memoryLimitBytes() >> 20).orElse(null),
        usage.filter(u -> u.cpus() > 0).map(u -> u.cpus()).orElse(null), s.task());
  }
}
