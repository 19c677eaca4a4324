package dev.pier.build;

import dev.pier.model.StaticHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * What an app.yaml says about serving a release that runs instances: its {@code handlers} (the
 * router serves the static ones from files) and its health checks. Read from the release's slug
 * (its app.yaml) by the server, so config changes, rollbacks and restarts keep it.
 *
 * @param handlers {@code handlers} in file order; empty when none
 * @param readinessIntervalSeconds {@code readiness_check.check_interval_sec}: seconds between
 *     readiness probes while an instance starts, or null for Pier's quick polling
 * @param liveness {@code liveness_check}, or null: running instances are not probed
 * @param warnings handler keys Pier does not apply, for the build output
 */
public record AppServing(
    List<StaticHandler> handlers,
    Integer readinessIntervalSeconds,
    LivenessCheck liveness,
    List<String> warnings) {
  /** Nothing: every path goes to the instances, which are not probed once up. */
  public static final AppServing NONE = new AppServing(List.of(), null, null, List.of());

  public AppServing {
    handlers = List.copyOf(handlers);
    warnings = List.copyOf(warnings);
  }

  /** True when some handler is served by the router from files. */
  public boolean hasStaticHandlers() {
    return handlers.stream().anyMatch(h -> h.kind() != StaticHandler.Kind.APP);
  }

  /** Lines for the build output saying what is honoured. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    if (hasStaticHandlers()) {
      for (StaticHandler h : handlers) {
        out.add("app.yaml handler " + h.urlText() + " -> " + switch (h.kind()) {
          case DIR -> "static_dir " + h.target();
          case FILES -> "static_files " + h.target();
          case APP -> "the app";
        });
      }
    }
    if (readinessIntervalSeconds != null) {
      out.add("app.yaml readiness check every " + readinessIntervalSeconds + " s while starting");
    }
    if (liveness != null) out.add("app.yaml " + liveness.describe());
    return out;
  }
}
