package dev.pier.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.autoscale.AutoscaleSpec;
import dev.pier.build.AppScaling;
import dev.pier.build.BuildOutput;
import dev.pier.errors.PlatformException;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.release.Release;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Applies what a build's app.yaml says about scaling and sizes ({@link AppScaling}) to the
 * formation when its release is created, before the rollout starts the release's instances.
 * app.yaml is authoritative at deploy, as on App Engine: it overrides what {@code ps:scale},
 * {@code ps:type} or {@code autoscale:enable} set before; those change it again until the next
 * deploy whose app.yaml says otherwise. A build whose app.yaml says nothing changes nothing.
 *
 * <ul>
 *   <li>{@code manual_scaling}: web's count is set and its autoscaling turned off.
 *   <li>{@code automatic_scaling}: web's autoscaling spec is set; the windows ({@code
 *       stable_window_seconds}, ...) app.yaml cannot express keep the values web had. The
 *       autoscaler notices the new spec on its next tick and starts over.
 *   <li>{@code resources}: every process type of the release gets the size.
 *   <li>{@code readiness_check.app_start_timeout_sec}: the app's web boot timeout, the one {@code
 *       pier healthcheck:timeout} sets (app.yaml wins at deploy, like the scaling keys).
 * </ul>
 *
 * Scaling is for web only (App Engine services serve requests); a release without web gets a
 * warning instead. Callers hold the app's lock.
 */
final class AppYamlFormation {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> WINDOWS =
      List.of("stable_window_seconds", "scale_down_delay_seconds", "idle_seconds");

  private final FormationStore formations;
  private final LogBus logs;
  private final BiConsumer<AppName, Integer> bootTimeouts;

  /**
   * @param bootTimeouts sets the app's web boot timeout in seconds, as {@code pier
   *     healthcheck:timeout N} does (from {@code readiness_check.app_start_timeout_sec})
   */
  AppYamlFormation(FormationStore formations, LogBus logs, BiConsumer<AppName, Integer> bootTimeouts) {
    this.formations = formations;
    this.logs = logs;
    this.bootTimeouts = bootTimeouts;
  }

  /**
   * Stores what {@code scaling} says for {@code release}, logs it (platform log and {@code out})
   * and returns what was applied ({@link AppScaling#NONE} when nothing was).
   *
   * @throws PlatformException invalid, before anything is stored, when the server refuses a value
   *     the build accepted (the two validate alike, so only if they drift apart)
   */
  AppScaling apply(AppName app, Release release, AppScaling scaling, BuildOutput out) {
    if (scaling.isEmpty()) return AppScaling.NONE;
    boolean web = release.processes().containsKey("web");
    if (!web && (scaling.webInstances() != null || scaling.autoscale() != null)) {
      out.warn("app.yaml " + (scaling.webInstances() != null ? "manual_scaling" : "automatic_scaling")
          + " is not applied: " + release.name() + " has no web process type");
    }
    AppScaling applied = web ? scaling
        : new AppScaling(null, null, scaling.size(), scaling.resources(), List.of(), List.of(), null);
    if (applied.isEmpty()) return AppScaling.NONE;
    String autoscaleJson = applied.autoscale() == null ? null
        : spec(app, applied.autoscale()).toJson().toString();
    String size = applied.size() == null ? null : InstanceSize.parse(applied.size()).wireName();

    if (applied.webInstances() != null) {
      formations.put(app, Map.of("web", applied.webInstances()));
      formations.putAutoscale(app, "web", null);
    }
    if (autoscaleJson != null) formations.putAutoscale(app, "web", autoscaleJson);
    if (size != null) {
      for (String type : release.processes().keySet()) formations.putSize(app, type, size);
    }
    if (applied.bootTimeoutSeconds() != null) bootTimeouts.accept(app, applied.bootTimeoutSeconds());
    String line = "app.yaml of " + release.name() + " set: " + applied.describe();
    logs.platform(app.value(), "api", line);
    out.info(line);
    return applied;
  }

  /** The spec app.yaml asks for, with the windows web's current spec has (if it autoscales). */
  private AutoscaleSpec spec(AppName app, AppScaling.Autoscale asked) {
    ObjectNode body = asked.toJson();
    String current = formations.autoscale(app).get("web");
    if (current != null) {
      JsonNode old = read(current);
      for (String window : WINDOWS) {
        if (old.has(window)) body.set(window, old.get(window));
      }
    }
    return AutoscaleSpec.fromJson(body);
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored autoscale spec is not JSON: " + json, e);
    }
  }
}
