package dev.pier.build;

import static dev.pier.build.AppYaml.at;
import static dev.pier.build.AppYaml.entries;
import static dev.pier.build.AppYaml.isNull;
import static dev.pier.build.AppYaml.mapping;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads app.yaml's {@code automatic_scaling}, {@code manual_scaling} and {@code resources} into an
 * {@link AppScaling}. The mapping (docs/users.md says the same):
 *
 * <pre>
 *   automatic_scaling.min_instances          -> min (default 0: web scales to zero when idle)
 *   automatic_scaling.max_instances          -> max (default, and 0 = "no limit": 100; above 100: 100, warned)
 *   automatic_scaling.target_concurrent_requests -> target concurrency
 *   automatic_scaling.max_concurrent_requests    -> target concurrency when the former is absent
 *   automatic_scaling.target_cpu_utilization -> target CPU percent (fraction x 100)
 *     no target at all                       -> 10 concurrent requests (App Engine's default)
 *     concurrency and CPU both               -> concurrency (warned: Pier follows one target)
 *   manual_scaling.instances: N              -> web runs N instances, no autoscaling
 *   resources.cpu / resources.memory_gb      -> the smallest size covering both (none: the largest, warned)
 * </pre>
 *
 * App Engine flexible's spellings are read too: {@code min_num_instances}, {@code
 * max_num_instances}, {@code cpu_utilization.target_utilization}. Other keys inside these blocks
 * are named by {@link AppYamlKeys}. Bad values (not a number, negative, out of
 * range, min above max, both scaling blocks) throw a {@link BuildFailure} naming the line and key.
 *
 * <p>Not thread-safe: one instance reads one file.
 */
final class ScalingKeys {
  /** The most instances app.yaml can ask for, as Pier's autoscaler and {@code ps:scale} allow. */
  static final int MAX_INSTANCES = 100;
  /** The target when app.yaml gives none: App Engine's default {@code max_concurrent_requests}. */
  static final double DEFAULT_TARGET_CONCURRENCY = 10;
  static final double MIN_CONCURRENCY = 0.1;
  static final double MAX_CONCURRENCY = 1000;

  private final List<String> notes = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private Mark automaticAt;
  private Mark manualAt;
  private AppScaling.Autoscale autoscale;
  private Integer webInstances;
  private String size;
  private String resources;

  /** Reads one file's scaling blocks; keys they do not honour are named by {@link AppYamlKeys}. */
  ScalingKeys() {}

  /** {@code automatic_scaling: {...}}; empty or null means every default. */
  void automatic(NodeTuple entry) throws BuildFailure {
    automaticAt = entry.getKeyNode().getStartMark();
    Integer min = null;
    Integer max = null;
    String minKey = "min_instances";
    String maxKey = "max_instances";
    Double target = null;
    Double maxConcurrent = null;
    Double cpu = null;
    for (NodeTuple e : children(entry, "automatic_scaling")) {
      String key = key(e);
      Node v = e.getValueNode();
      String name = "automatic_scaling." + key;
      switch (key) {
        case "min_instances", "min_num_instances" -> {
          if (min != null) throw eitherOr(e, "min_instances", "min_num_instances");
          min = whole(v, name, 0, MAX_INSTANCES);
          minKey = key;
        }
        case "max_instances", "max_num_instances" -> {
          if (max != null) throw eitherOr(e, "max_instances", "max_num_instances");
          max = whole(v, name, 0, Integer.MAX_VALUE);
          maxKey = key;
        }
        case "target_concurrent_requests" -> target = concurrency(v, name);
        case "max_concurrent_requests" -> maxConcurrent = concurrency(v, name);
        case "target_cpu_utilization" -> {
          if (cpu != null) throw eitherOr(e, "target_cpu_utilization", "cpu_utilization");
          cpu = fraction(v, name);
        }
        case "cpu_utilization" -> {
          if (cpu != null) throw eitherOr(e, "target_cpu_utilization", "cpu_utilization");
          cpu = cpuUtilization(e);
        }
        default -> { } // named by AppYamlKeys
      }
    }
    int most = max == null || max == 0 ? MAX_INSTANCES : max;
    if (most > MAX_INSTANCES) {
      warnings.add("app.yaml automatic_scaling." + maxKey + " " + max + " is capped at "
          + MAX_INSTANCES + ", the most instances Pier runs per process type");
      most = MAX_INSTANCES;
    }
    int least = min == null ? 0 : min;
    if (least > most) {
      throw at(automaticAt, "automatic_scaling " + minKey + " (" + least + ") is above "
          + maxKey + " (" + most + ")");
    }
    autoscale = new AppScaling.Autoscale(least, most, metric(target, maxConcurrent, cpu),
        target != null ? target : maxConcurrent != null ? maxConcurrent
            : cpu != null ? cpu : DEFAULT_TARGET_CONCURRENCY);
  }

  /** Picks the one target Pier's autoscaler follows and says why in the notes and warnings. */
  private String metric(Double target, Double maxConcurrent, Double cpu) {
    Double concurrency = target != null ? target : maxConcurrent;
    if (target != null && maxConcurrent != null) {
      warnings.add("app.yaml automatic_scaling.max_concurrent_requests is not a hard limit on Pier:"
          + " web aims at target_concurrent_requests (" + AppScaling.plain(target) + ")");
    } else if (target == null && maxConcurrent != null) {
      notes.add("app.yaml max_concurrent_requests (" + AppScaling.plain(maxConcurrent)
          + ") is web's target concurrency (there is no target_concurrent_requests)");
    }
    if (concurrency != null && cpu != null) {
      warnings.add("app.yaml automatic_scaling sets a concurrency and a CPU target: Pier's"
          + " autoscaler follows one, so web scales on concurrency and target_cpu_utilization"
          + " is ignored");
    }
    if (concurrency == null && cpu == null) {
      notes.add("app.yaml automatic_scaling has no target: web aims at "
          + AppScaling.plain(DEFAULT_TARGET_CONCURRENCY) + " concurrent requests per instance");
    }
    return concurrency == null && cpu != null ? AppScaling.Autoscale.CPU
        : AppScaling.Autoscale.CONCURRENCY;
  }

  /** App Engine flexible's {@code cpu_utilization: {target_utilization: 0.6}}. */
  private Double cpuUtilization(NodeTuple entry) throws BuildFailure {
    Double cpu = null;
    for (NodeTuple e : children(entry, "automatic_scaling.cpu_utilization")) {
      String key = key(e);
      if (key.equals("target_utilization")) {
        cpu = fraction(e.getValueNode(), "automatic_scaling.cpu_utilization.target_utilization");
      }
    }
    return cpu;
  }

  /** {@code manual_scaling: {instances: N}}. */
  void manual(NodeTuple entry) throws BuildFailure {
    manualAt = entry.getKeyNode().getStartMark();
    for (NodeTuple e : children(entry, "manual_scaling")) {
      String key = key(e);
      if (key.equals("instances")) {
        webInstances = whole(e.getValueNode(), "manual_scaling.instances", 0, MAX_INSTANCES);
      }
    }
    if (webInstances == null) {
      throw at(manualAt, "manual_scaling needs 'instances: N', the number of web instances");
    }
  }

  /** {@code resources: {cpu: 1, memory_gb: 0.5}}. */
  void resources(NodeTuple entry) throws BuildFailure {
    Double cpu = null;
    Double memoryGb = null;
    for (NodeTuple e : children(entry, "resources")) {
      String key = key(e);
      switch (key) {
        case "cpu" -> cpu = positive(e.getValueNode(), "resources.cpu");
        case "memory_gb" -> memoryGb = positive(e.getValueNode(), "resources.memory_gb");
        default -> { } // named by AppYamlKeys
      }
    }
    if (cpu == null && memoryGb == null) return;
    List<String> asked = new ArrayList<>();
    if (cpu != null) asked.add("cpu " + AppScaling.plain(cpu));
    if (memoryGb != null) asked.add("memory_gb " + AppScaling.plain(memoryGb));
    resources = String.join(", ", asked);
    Sizes.Size covering = Sizes.smallestCovering(cpu, memoryGb);
    if (covering == null) {
      covering = Sizes.largest();
      warnings.add("app.yaml resources (" + resources + ") are more than any size offers: the"
          + " largest, " + covering.describe() + ", is used");
    }
    size = covering.name();
  }

  /** Returns what was read; throws when both scaling blocks were given. */
  AppScaling result() throws BuildFailure {
    if (automaticAt != null && manualAt != null) {
      Mark later = automaticAt.getIndex() > manualAt.getIndex() ? automaticAt : manualAt;
      throw at(later, "use automatic_scaling or manual_scaling, not both");
    }
    if (autoscale == null && webInstances == null && size == null && notes.isEmpty()
        && warnings.isEmpty()) {
      return AppScaling.NONE;
    }
    return new AppScaling(webInstances, autoscale, size, resources, notes, warnings);
  }

  private static List<NodeTuple> children(NodeTuple entry, String what) throws BuildFailure {
    Node value = entry.getValueNode();
    if (isNull(value)) return List.of();
    MappingNode node = mapping(value, what);
    return entries(node, what);
  }

  private static String key(NodeTuple e) {
    return ((ScalarNode) e.getKeyNode()).getValue();
  }

  private static BuildFailure eitherOr(NodeTuple e, String one, String other) {
    return at(e.getKeyNode().getStartMark(), "give " + one + " or " + other + ", not both");
  }

  static int whole(Node node, String what, int lowest, int highest) throws BuildFailure {
    double x = number(node, what);
    String range = highest == Integer.MAX_VALUE ? lowest + " or more" : "from " + lowest + " to " + highest;
    if (x != Math.rint(x) || x < lowest || x > highest) {
      throw at(node.getStartMark(), what + " must be a whole number " + range + ", got " + shown(node));
    }
    return (int) x;
  }

  private static double concurrency(Node node, String what) throws BuildFailure {
    double x = number(node, what);
    if (x < MIN_CONCURRENCY || x > MAX_CONCURRENCY) {
      throw at(node.getStartMark(), what + " must be from " + AppScaling.plain(MIN_CONCURRENCY)
          + " to " + AppScaling.plain(MAX_CONCURRENCY) + ", got " + shown(node));
    }
    return x;
  }

  /** A CPU utilization fraction (0.01 to 1) as a percent, to one decimal: 0.65 -> 65. */
  private static double fraction(Node node, String what) throws BuildFailure {
    double x = number(node, what);
    if (x < 0.01 || x > 1) {
      throw at(node.getStartMark(), what + " must be a fraction from 0.01 to 1 (0.6 for 60% CPU),"
          + " got " + shown(node));
    }
    return Math.round(x * 1000) / 10.0;
  }

  private static double positive(Node node, String what) throws BuildFailure {
    double x = number(node, what);
    if (!(x > 0)) throw at(node.getStartMark(), what + " must be above 0, got " + shown(node));
    return x;
  }

  private static double number(Node node, String what) throws BuildFailure {
    if (node instanceof ScalarNode s && (Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()))) {
      try {
        double x = Double.parseDouble(s.getValue().replace("_", ""));
        if (Double.isFinite(x)) return x;
      } catch (NumberFormatException notPlainDecimal) {
        // 0x1A, .inf and the like: reported below
      }
    }
    throw at(node.getStartMark(), what + " must be a number, got " + shown(node));
  }

  private static String shown(Node node) {
    if (node instanceof ScalarNode s) return isNull(node) ? "nothing" : "'" + s.getValue() + "'";
    return node instanceof SequenceNode ? "a list" : "a mapping";
  }
}
