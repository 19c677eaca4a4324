package dev.pier.build;

import static dev.pier.build.AppYaml.at;
import static dev.pier.build.AppYaml.isNull;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads app.yaml {@code liveness_check} and {@code readiness_check.check_interval_sec}. A number
 * out of App Engine's range is a {@link BuildFailure} naming the line and the range (no silent
 * clamping).
 */
final class HealthCheckKeys {
  /** The bounds of {@code check_interval_sec} and {@code timeout_sec}, in seconds. */
  static final int MIN_INTERVAL = 1;
  static final int MAX_INTERVAL = 300;

  private HealthCheckKeys() {}

  /** {@code readiness_check.check_interval_sec}, 1 to 300, or null. */
  static Integer readinessInterval(Node value) throws BuildFailure {
    if (isNull(value)) return null;
    for (NodeTuple entry : AppYaml.mapping(value, "readiness_check").getValue()) {
      if (((ScalarNode) entry.getKeyNode()).getValue().equals("check_interval_sec")) {
        return ScalingKeys.whole(entry.getValueNode(), "readiness_check.check_interval_sec",
            MIN_INTERVAL, MAX_INTERVAL);
      }
    }
    return null;
  }

  /** {@code liveness_check}, with App Engine's defaults for keys not given; null when empty. */
  static LivenessCheck liveness(Node value) throws BuildFailure {
    if (isNull(value)) return null;
    MappingNode node = AppYaml.mapping(value, "liveness_check");
    String path = LivenessCheck.DEFAULT_PATH;
    int interval = 30;
    int timeout = 4;
    int failures = 4;
    int successes = 2;
    int delay = 300;
    for (NodeTuple entry : AppYaml.entries(node, "liveness_check")) {
      String key = ((ScalarNode) entry.getKeyNode()).getValue();
      Node v = entry.getValueNode();
      String what = "liveness_check." + key;
      switch (key) {
        case "path" -> {
          if (!(v instanceof ScalarNode s) || isNull(v) || !s.getValue().startsWith("/")
              || s.getValue().chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw at(v.getStartMark(), "liveness_check.path must be a URL path starting with '/', e.g. /healthz");
          }
          path = s.getValue();
        }
        case "check_interval_sec" -> interval = ScalingKeys.whole(v, what, MIN_INTERVAL, MAX_INTERVAL);
        case "timeout_sec" -> timeout = ScalingKeys.whole(v, what, MIN_INTERVAL, MAX_INTERVAL);
        case "failure_threshold" -> failures = ScalingKeys.whole(v, what, 1, 10);
        case "success_threshold" -> successes = ScalingKeys.whole(v, what, 1, 10);
        case "initial_delay_sec" -> delay = ScalingKeys.whole(v, what, 0, 3600);
        default -> { } // named by AppYamlKeys
      }
    }
    return new LivenessCheck(path, interval, timeout, failures, successes, delay);
  }
}
