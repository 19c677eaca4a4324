package dev.pier.build;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an app.yaml says about how many instances run and how big they are, mapped onto Pier's
 * settings (see {@link ScalingKeys} for the mapping). The server applies it to the formation when
 * the release is created: app.yaml is authoritative at deploy, as on App Engine; a later {@code
 * ps:scale} or {@code autoscale:enable} changes it again until the next deploy that says otherwise.
 *
 * @param webInstances {@code manual_scaling.instances}: a fixed count of web instances (and no
 *     autoscaling), or null
 * @param autoscale {@code automatic_scaling}: how web autoscales, or null; never set together with
 *     {@code webInstances}
 * @param size the size every process type gets, a wire name such as {@code standard-2x} (from
 *     {@code resources}), or null
 * @param resources the {@code resources} asked for, as written (e.g. {@code cpu 1, memory_gb 1}),
 *     or null when {@code size} is null
 * @param notes detail lines for the build output (how a key was read)
 * @param warnings problems the developer should read in the build output (a value capped, a key
 *     that lost to another)
 */
public record AppScaling(
    Integer webInstances,
    Autoscale autoscale,
    String size,
    String resources,
    List<String> notes,
    List<String> warnings,
    Integer bootTimeoutSeconds) {
  /** The most seconds {@code readiness_check.app_start_timeout_sec} may say, as {@code healthcheck:timeout}. */
  public static final int MAX_BOOT_SECONDS = 900;

  /** Scaling and sizes without a boot timeout. */
  public AppScaling(Integer webInstances, Autoscale autoscale, String size, String resources,
      List<String> notes, List<String> warnings) {
    this(webInstances, autoscale, size, resources, notes, warnings, null);
  }
  /** Nothing about scaling or sizes: the formation is left as it is. */
  public static final AppScaling NONE = new AppScaling(null, null, null, null, List.of(), List.of());

  public AppScaling {
    if (webInstances != null && autoscale != null) {
      throw new IllegalArgumentException("manual and automatic scaling together");
    }
    if (webInstances != null && webInstances < 0) {
      throw new IllegalArgumentException("negative instances: " + webInstances);
    }
    notes = List.copyOf(notes);
    warnings = List.copyOf(warnings);
  }

  /** True when app.yaml has nothing to say about scaling or sizes. */
  public boolean isEmpty() {
    return webInstances == null && autoscale == null && size == null && bootTimeoutSeconds == null;
  }

  /** This with web's boot timeout ({@code readiness_check.app_start_timeout_sec}) set. */
  public AppScaling withBootTimeout(Integer seconds) {
    return new AppScaling(webInstances, autoscale, size, resources, notes, warnings, seconds);
  }

  /**
   * Returns what it sets, e.g. {@code web autoscales between 1 and 3 instances at 5 concurrent
   * requests; size standard-2x (memory_gb 1)}, or {@code "nothing"}.
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (webInstances != null) parts.add("web runs " + webInstances + " instance(s), no autoscaling");
    if (autoscale != null) parts.add("web autoscales " + autoscale.describe());
    if (size != null) parts.add("size " + size + " (" + resources + ")");
    if (bootTimeoutSeconds != null) parts.add("web boot timeout " + bootTimeoutSeconds + " s");
    return parts.isEmpty() ? "nothing" : String.join("; ", parts);
  }

  /**
   * How web autoscales, in the terms of Pier's autoscaler.
   *
   * @param min the fewest instances, 0 or more (0: scales to zero when idle)
   * @param max the most instances, {@code min} to {@value ScalingKeys#MAX_INSTANCES}
   * @param metric {@code concurrency} or {@code cpu}
   * @param target concurrent requests per instance, or CPU percent (1 to 100)
   */
  public record Autoscale(int min, int max, String metric, double target) {
    public static final String CONCURRENCY = "concurrency";
    public static final String CPU = "cpu";

    public Autoscale {
      Objects.requireNonNull(metric, "metric");
      if (!metric.equals(CONCURRENCY) && !metric.equals(CPU)) {
        throw new IllegalArgumentException("unknown metric " + metric);
      }
      if (min < 0 || max < 1 || min > max) {
        throw new IllegalArgumentException("bad range " + min + ".." + max);
      }
      if (!(target > 0)) throw new IllegalArgumentException("target must be positive: " + target);
    }

    /**
     * Returns the body of {@code PUT /apps/APP/autoscale/web} that says the same, e.g. {@code
     * {"min":1,"max":3,"target_concurrency":5}} (windows left out: they keep their values).
     */
    public ObjectNode toJson() {
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      json.put("min", min).put("max", max);
      json.put(metric.equals(CPU) ? "target_cpu" : "target_concurrency", plain(target));
      return json;
    }

    /** Returns {@code between 1 and 3 instances at 5 concurrent requests} or {@code ... 60% CPU}. */
    public String describe() {
      return "between " + min + " and " + max + " instances at "
          + plain(target).toPlainString() + (metric.equals(CPU) ? "% CPU" : " concurrent requests");
    }

  }

  /** Returns {@code x} without a trailing {@code .0}: 5, 0.5, 62.5. */
  static BigDecimal plain(double x) {
    BigDecimal d = BigDecimal.valueOf(x).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }
}
