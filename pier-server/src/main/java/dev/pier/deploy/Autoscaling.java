package dev.pier.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.autoscale.AutoscaleSpec;
import dev.pier.autoscale.Autoscaler;
import dev.pier.autoscale.Metric;
import dev.pier.build.BuildOutput;
import dev.pier.errors.PlatformException;
import dev.pier.logs.LogBus;
import dev.pier.model.InstanceState;
import dev.pier.release.Release;
import dev.pier.release.ReleaseService;
import dev.pier.runtime.InstanceStatus;
import dev.pier.versions.VersionStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turning autoscaling on and off per process type, and what it is doing: the spec goes to the
 * formation (desired state), the {@link Autoscaler} decides counts from it.
 */
public final class Autoscaling {
  private final AppService apps;
  private final ReleaseService releases;
  private final FormationStore formations;
  private final VersionStore versions;
  private final ProcessManager processes;
  private final Rollout rollout;
  private final Autoscaler autoscaler;
  private final LogBus logs;

  public Autoscaling(AppService apps, ReleaseService releases, FormationStore formations,
      VersionStore versions, ProcessManager processes, Rollout rollout, Autoscaler autoscaler, LogBus logs) {
    this.apps = apps;
    this.releases = releases;
    this.formations = formations;
    this.versions = versions;
    this.processes = processes;
    this.rollout = rollout;
    this.autoscaler = autoscaler;
    this.logs = logs;
  }

  /** Validates and stores {@code body} as the spec of {@code type}; returns its view. */
  public Map<String, Object> enable(App app, String type, JsonNode body, String user) throws Exception {
    AutoscaleSpec spec = AutoscaleSpec.fromJson(body);
    return rollout.locked(app, BuildOutput.NONE, () -> {
      App current = apps.get(app.name());
      Release release = releases.current(current);
      ProcessManager.requireType(release, type);
      if (!type.equals("web") && spec.metric() != Metric.CPU) {
        throw PlatformException.invalid("only web instances get requests: autoscale " + type
            + " on CPU (target_cpu), not on " + spec.metric().wireName());
      }
      autoscaler.reset(current.name().value(), type);
      formations.putAutoscale(current.name(), type, spec.toJson().toString());
      logs.platform(current.name().value(), "api", "Autoscaling " + type + " between " + spec.min() + " and "
          + spec.max() + " instances, " + spec.describeTarget() + ", by " + user);
      processes.awaitSettled(current);
      return view(current, type, spec);
    });
  }

  /** Stops autoscaling {@code type}: it keeps {@code count} instances, or its current count. */
  public Map<String, Object> disable(App app, String type, Integer count, String user) throws Exception {
    if (count != null && (count < 0 || count > ProcessManager.MAX_PER_TYPE)) {
      throw PlatformException.invalid("invalid count " + count + " for " + type + ": use 0 to " + ProcessManager.MAX_PER_TYPE);
    }
    return rollout.locked(app, BuildOutput.NONE, () -> {
      App current = apps.get(app.name());
      if (!formations.autoscale(current.name()).containsKey(type)) {
        throw PlatformException.notFound(type + " of " + current.name() + " does not autoscale");
      }
      int keep = count != null ? count
          : processes.reconciler().desired(current.name().value()).count(current.currentRelease(), type);
      formations.put(current.name(), Map.of(type, keep));
      formations.putAutoscale(current.name(), type, null);
      autoscaler.reset(current.name().value(), type);
      logs.platform(current.name().value(), "api", "Autoscaling of " + type + " turned off, " + keep
          + " instance(s), by " + user);
      processes.awaitSettled(current);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("type", type);
      result.put("count", keep);
      return result;
    });
  }

  /** Every type that autoscales, with each running version's numbers. */
  public List<Map<String, Object>> list(App app) {
    List<Map<String, Object>> result = new ArrayList<>();
    formations.autoscale(app.name()).forEach((type, json) -> result.add(view(app, type, autoscaler.spec(json))));
    return result;
  }

  private Map<String, Object> view(App app, String type, AutoscaleSpec spec) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("type", type);
    v.put("min", spec.min());
    v.put("max", spec.max());
    v.put("metric", spec.metric().wireName());
    v.put("target", spec.target());
    v.put("stable_window_seconds", spec.stableWindow().toSeconds());
    v.put("scale_down_delay_seconds", spec.scaleDownDelay().toSeconds());
    v.put("idle_seconds", spec.idleGrace().toSeconds());
    String name = app.name().value();
    var desired = processes.reconciler().desired(name);
    var traffic = versions.traffic(app.name());
    List<InstanceStatus> instances = processes.list(name);
    List<Map<String, Object>> versionViews = new ArrayList<>();
    for (int version : desired.counts().keySet()) {
      Map<String, Object> vv = new LinkedHashMap<>();
      vv.put("version", version);
      vv.put("percent", traffic.percent(version));
      vv.put("desired", desired.count(version, type));
      vv.put("actual", instances.stream().filter(s -> s.release() == version && s.type().equals(type)
          && s.state() == InstanceState.UP && !processes.reconciler().isLeaving(name, s.id())).count());
      var status = autoscaler.status(name, version, type);
      vv.put("observed", status.map(s -> s.observed()).map(o -> {
        Map<String, Object> ov = new LinkedHashMap<>();
        ov.put("concurrency", round(o.concurrency()));
        ov.put("rps", round(o.rps()));
        ov.put("cpu", round(o.cpu()));
        return ov;
      }).orElse(null));
      vv.put("mode", status.map(s -> s.mode().wireName()).orElse("stable"));
      vv.put("last_decision", status.map(s -> s.lastChange()).map(c -> {
        Map<String, Object> cv = new LinkedHashMap<>();
        cv.put("at", c.at());
        cv.put("from", c.from());
        cv.put("to", c.to());
        cv.put("reason", c.reason());
        return cv;
      }).orElse(null));
      versionViews.add(vv);
    }
    v.put("versions", versionViews);
    return v;
  }

  private static double round(double x) {
    return Math.round(x * 10) / 10.0;
  }
}
