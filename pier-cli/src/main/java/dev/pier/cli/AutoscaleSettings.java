package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code autoscale:enable} asks for, checked before anything is sent. Null fields were not
 * given and are left to the server's defaults (target 100 concurrent requests, stable window 60 s,
 * no scale-down delay, 5 minutes idle before zero).
 *
 * @param min the fewest instances, 0 or more
 * @param max the most instances, not below {@code min}
 * @param metric {@code concurrency}, {@code rps}, {@code cpu}, or null for the server's default
 * @param target the per-instance target of {@code metric}, above 0; null with {@code metric}
 * @param stableWindowSeconds how far back the stable average looks, or null
 * @param scaleDownDelaySeconds how long to wait before scaling down, or null
 * @param idleSeconds how long without requests before going to zero, or null
 */
record AutoscaleSettings(int min, int max, String metric, BigDecimal target, Long stableWindowSeconds,
    Long scaleDownDelaySeconds, Long idleSeconds) {
  /** The server's target when none is given, as docs/users.md says: Knative's soft default. */
  static final String DEFAULT_METRIC = "concurrency";
  static final BigDecimal DEFAULT_TARGET = BigDecimal.valueOf(100);

  /**
   * Checks the options of {@code autoscale:enable}; the targets are the values of
   * {@code --target-concurrency}, {@code --target-rps} and {@code --target-cpu}, at most one set.
   *
   * @throws CliException for a negative {@code --min}, a {@code --max} below 1 or below
   *     {@code --min}, two targets, a target not above 0 or a malformed duration
   */
  static AutoscaleSettings parse(int min, int max, BigDecimal concurrency, BigDecimal rps, BigDecimal cpu,
      String stableWindow, String scaleDownDelay, String idle) {
    if (min < 0) {
      throw new CliException("Invalid --min " + min + ": use 0 or more");
    }
    if (max < 1) {
      throw new CliException("Invalid --max " + max + ": use 1 or more");
    }
    if (min > max) {
      throw new CliException("--min " + min + " is above --max " + max);
    }
    List<String> given = new ArrayList<>();
    String metric = null;
    BigDecimal target = null;
    String[] names = {"concurrency", "rps", "cpu"};
    BigDecimal[] values = {concurrency, rps, cpu};
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null) {
        given.add("--target-" + names[i]);
        metric = names[i];
        target = values[i];
      }
    }
    if (given.size() > 1) {
      throw new CliException("Give one target, not " + String.join(" and ", given)
          + ": an autoscaled type follows one metric");
    }
    if (target != null && target.signum() <= 0) {
      throw new CliException("Invalid --target-" + metric + " " + target.toPlainString() + ": use a number above 0");
    }
    return new AutoscaleSettings(min, max, metric, target,
        stableWindow == null ? null : DurationArgument.seconds("--stable-window", stableWindow),
        scaleDownDelay == null ? null : DurationArgument.seconds("--scale-down-delay", scaleDownDelay),
        idle == null ? null : DurationArgument.seconds("--idle", idle));
  }

  /** Returns the body of {@code PUT /apps/{app}/autoscale/{type}}, with only what was given. */
  ObjectNode body() {
    ObjectNode body = Json.MAPPER.createObjectNode().put("min", min).put("max", max);
    if (metric != null) {
      BigDecimal plain = target.stripTrailingZeros();
      body.put("target_" + metric, plain.scale() < 0 ? plain.setScale(0) : plain);
    }
    if (stableWindowSeconds != null) {
      body.put("stable_window_seconds", stableWindowSeconds);
    }
    if (scaleDownDelaySeconds != null) {
      body.put("scale_down_delay_seconds", scaleDownDelaySeconds);
    }
    if (idleSeconds != null) {
      body.put("idle_seconds", idleSeconds);
    }
    return body;
  }

  /** Returns the target to report: the server's answer when it has one, else what was sent or the default. */
  String describeTarget(JsonNode answer) {
    if (answer != null && answer.path("metric").isTextual() && answer.path("target").isNumber()) {
      return describeTarget(answer.get("metric").asText(), answer.get("target").decimalValue());
    }
    return metric == null ? describeTarget(DEFAULT_METRIC, DEFAULT_TARGET) : describeTarget(metric, target);
  }

  /** Returns {@code "10 concurrent requests"}, {@code "50 requests/s"} or {@code "70% CPU"}. */
  static String describeTarget(String metric, BigDecimal target) {
    String number = target.stripTrailingZeros().toPlainString();
    return switch (metric) {
      case "rps" -> number + " requests/s";
      case "cpu" -> number + "% CPU";
      case "concurrency" -> number + " concurrent requests";
      default -> number + " " + metric;
    };
  }
}
