package dev.pier.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.errors.PlatformException;
import java.time.Duration;

/**
 * How one process type autoscales: between {@code min} and {@code max} instances, aiming at
 * {@code target} of {@code metric} per instance. Validated on construction; every failure is a
 * {@link PlatformException#invalid} whose message names the field, the allowed range and the value
 * given, such as {@code "min (5) is above max (2)"}.
 *
 * <p>The panic window is 10% of the stable window (at least 1 s) and the panic threshold 200% of
 * the target, as Knative's KPA defaults; neither can be set.
 *
 * @param min the fewest instances, 0 or more; 0 lets the type scale to zero after {@code idleGrace}
 * @param max the most instances, 1 to {@value #MAX_INSTANCES} and not below {@code min}
 * @param metric what {@code target} measures
 * @param target the wanted value per instance: concurrency 0.1 to 1000, rps 0.1 to 100000, cpu
 *     percent 1 to 100
 * @param stableWindow how far back the stable average looks, 6 s to 1 h (default 60 s)
 * @param scaleDownDelay how long no higher count may have been wanted before scaling down, 0 to
 *     1 h (default 0)
 * @param idleGrace how long without any request before going from 1 to 0 when {@code min} is 0,
 *     1 s to 24 h (default 5 min)
 */
public record AutoscaleSpec(
    int min, int max, Metric metric, double target, Duration stableWindow, Duration scaleDownDelay,
    Duration idleGrace) {
  public static final int MAX_INSTANCES = 100;
  /** The target when none is given: 100 concurrent requests, Knative's soft default. */
  public static final Metric DEFAULT_METRIC = Metric.CONCURRENCY;
  public static final double DEFAULT_TARGET = 100;
  public static final Duration DEFAULT_STABLE_WINDOW = Duration.ofSeconds(60);
  public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ZERO;
  public static final Duration DEFAULT_IDLE_GRACE = Duration.ofMinutes(5);
  /** The panic-window count must reach this multiple of the ready instances to panic (200%). */
  public static final double PANIC_THRESHOLD = 2.0;

  private static final Duration MIN_STABLE_WINDOW = Duration.ofSeconds(6);
  private static final Duration MAX_STABLE_WINDOW = Duration.ofHours(1);
  private static final Duration MAX_SCALE_DOWN_DELAY = Duration.ofHours(1);
  private static final Duration MIN_IDLE_GRACE = Duration.ofSeconds(1);
  private static final Duration MAX_IDLE_GRACE = Duration.ofHours(24);

  public AutoscaleSpec {
    if (min < 0) {
      throw PlatformException.invalid("min must be 0 or more, got " + min);
    }
    if (max < 1 || max > MAX_INSTANCES) {
      throw PlatformException.invalid("max must be between 1 and " + MAX_INSTANCES + ", got " + max);
    }
    if (min > max) {
      throw PlatformException.invalid("min (" + min + ") is above max (" + max + ")");
    }
    if (metric == null) {
      throw PlatformException.invalid("metric is required: concurrency, rps or cpu");
    }
    if (!(target >= metric.lowest() && target <= metric.highest())) {
      throw PlatformException.invalid("target " + metric.wireName() + " must be between "
          + Numbers.plain(metric.lowest()) + " and " + Numbers.plain(metric.highest()) + ", got "
          + Numbers.plain(target));
    }
    checkRange("stable window", stableWindow, MIN_STABLE_WINDOW, MAX_STABLE_WINDOW);
    checkRange("scale-down delay", scaleDownDelay, Duration.ZERO, MAX_SCALE_DOWN_DELAY);
    checkRange("idle grace", idleGrace, MIN_IDLE_GRACE, MAX_IDLE_GRACE);
  }

  /** A spec with the default windows: stable 60 s, no scale-down delay, 5 min idle grace. */
  public static AutoscaleSpec of(int min, int max, Metric metric, double target) {
    return new AutoscaleSpec(min, max, metric, target, DEFAULT_STABLE_WINDOW, DEFAULT_SCALE_DOWN_DELAY,
        DEFAULT_IDLE_GRACE);
  }

  /**
   * Parses the body of {@code PUT /apps/{app}/autoscale/{type}}, as docs/api.md describes:
   * {@code {"min":0,"max":10,"target_concurrency":10,"stable_window_seconds":60,
   * "scale_down_delay_seconds":0,"idle_seconds":300}}. Only {@code max} is required; {@code min}
   * defaults to 0, the target to {@value #DEFAULT_TARGET} concurrent requests, the windows to
   * their defaults.
   *
   * @throws PlatformException invalid for a body that is not an object, an unknown key, more than
   *     one target, a value of the wrong type, or any value {@link AutoscaleSpec} refuses
   */
  public static AutoscaleSpec fromJson(JsonNode body) {
    return AutoscaleJson.parse(body);
  }

  /** Returns the spec as the body {@link #fromJson} reads, with every field given. */
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("min", min).put("max", max);
    json.set(metric.targetField(), JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(Numbers.plain(target))));
    json.put("stable_window_seconds", stableWindow.toSeconds());
    json.put("scale_down_delay_seconds", scaleDownDelay.toSeconds());
    json.put("idle_seconds", idleGrace.toSeconds());
    return json;
  }

  /** Returns how far back the panic average looks: 10% of the stable window, at least 1 s. */
  public Duration panicWindow() {
    Duration tenth = stableWindow.dividedBy(10);
    return tenth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : tenth;
  }

  /** Returns the panic threshold as a multiple of the target, {@value #PANIC_THRESHOLD} (200%). */
  public double panicThreshold() {
    return PANIC_THRESHOLD;
  }

  /** Returns {@code "10 concurrent requests"}, {@code "50 requests/s"} or {@code "70% CPU"}. */
  public String describeTarget() {
    return metric.target(target);
  }

  private static void checkRange(String name, Duration value, Duration lowest, Duration highest) {
    if (value == null) {
      throw PlatformException.invalid(name + " is required");
    }
    if (value.compareTo(lowest) < 0 || value.compareTo(highest) > 0) {
      throw PlatformException.invalid(name + " must be between " + seconds(lowest) + " and "
          + seconds(highest) + ", got " + seconds(value));
    }
  }

  /** Returns {@code "60 s"}, {@code "0.5 s"}. */
  static String seconds(Duration duration) {
    return Numbers.plain(duration.toMillis() / 1000.0) + " s";
  }
}
