package dev.pier.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.errors.PlatformException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the wire body of {@code PUT /apps/{app}/autoscale/{type}} into an {@link AutoscaleSpec}. */
final class AutoscaleJson {
  static final String MIN = "min";
  static final String MAX = "max";
  static final String STABLE_WINDOW = "stable_window_seconds";
  static final String SCALE_DOWN_DELAY = "scale_down_delay_seconds";
  static final String IDLE = "idle_seconds";
  private static final List<String> FIELDS = List.of(MIN, MAX, Metric.CONCURRENCY.targetField(),
      Metric.RPS.targetField(), Metric.CPU.targetField(), STABLE_WINDOW, SCALE_DOWN_DELAY, IDLE);

  private AutoscaleJson() {}

  static AutoscaleSpec parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw PlatformException.invalid("the autoscale settings must be a JSON object, got "
          + (body == null ? "nothing" : body.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    body.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        throw PlatformException.invalid("unknown autoscale field '" + name + "': use "
            + String.join(", ", FIELDS.subList(0, FIELDS.size() - 1)) + " or " + FIELDS.getLast());
      }
    });
    List<Metric> targets = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      if (body.has(metric.targetField())) {
        targets.add(metric);
      }
    }
    if (targets.size() > 1) {
      throw PlatformException.invalid("give only one target, got "
          + String.join(" and ", targets.stream().map(Metric::targetField).toList()));
    }
    if (!body.has(MAX)) {
      throw PlatformException.invalid("max is required");
    }
    int min = body.has(MIN) ? wholeInt(body, MIN) : 0;
    int max = wholeInt(body, MAX);
    Metric metric = targets.isEmpty() ? AutoscaleSpec.DEFAULT_METRIC : targets.getFirst();
    double target = targets.isEmpty() ? AutoscaleSpec.DEFAULT_TARGET : number(body, metric.targetField());
    return new AutoscaleSpec(min, max, metric, target,
        seconds(body, STABLE_WINDOW, AutoscaleSpec.DEFAULT_STABLE_WINDOW),
        seconds(body, SCALE_DOWN_DELAY, AutoscaleSpec.DEFAULT_SCALE_DOWN_DELAY),
        seconds(body, IDLE, AutoscaleSpec.DEFAULT_IDLE_GRACE));
  }

  private static double number(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
      throw PlatformException.invalid(field + " must be a number, got " + node);
    }
    return node.asDouble();
  }

  private static long wholeLong(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (!node.isNumber() || node.asDouble() != Math.rint(node.asDouble()) || !node.canConvertToLong()) {
      throw PlatformException.invalid(field + " must be a whole number, got " + node);
    }
    return node.asLong();
  }

  private static int wholeInt(JsonNode body, String field) {
    long value = wholeLong(body, field);
    if (value != (int) value) {
      throw PlatformException.invalid(field + " is out of range, got " + value);
    }
    return (int) value;
  }

  private static Duration seconds(JsonNode body, String field, Duration fallback) {
    return body.has(field) ? Duration.ofSeconds(wholeLong(body, field)) : fallback;
  }
}
