package dev.pier.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The one list of app.yaml key paths Pier honours, and the walk that names every other key.
 *
 * <p>A key path is the dotted list of mapping keys from the top of the file, e.g. {@code
 * readiness_check.path}. {@code *} in {@link #HONOURED} stands for any one key ({@code
 * env_variables.*}). The walk descends into every mapping; a key that is not honoured is named by
 * its full path when its value is a scalar or a list ({@code inbound_services}, {@code
 * network.forwarded_ports}), and by the paths of its children when its value is a mapping, so a
 * warning names exactly what is dropped. {@link #REASONS} adds a short why to some paths.
 */
final class AppYamlKeys {
  /** Key paths Pier reads; everything else in an app.yaml is named in a build warning. */
  static final List<String> HONOURED = List.of(
      "runtime",
      "entrypoint",
      "env",
      "vm",
      "env_variables.*",
      "readiness_check.path",
      "readiness_check.app_start_timeout_sec",
      "readiness_check.check_interval_sec",
      "liveness_check.path",
      "liveness_check.check_interval_sec",
      "liveness_check.timeout_sec",
      "liveness_check.failure_threshold",
      "liveness_check.success_threshold",
      "liveness_check.initial_delay_sec",
      "handlers",
      "default_expiration",
      "automatic_scaling.min_instances",
      "automatic_scaling.min_num_instances",
      "automatic_scaling.max_instances",
      "automatic_scaling.max_num_instances",
      "automatic_scaling.target_concurrent_requests",
      "automatic_scaling.max_concurrent_requests",
      "automatic_scaling.target_cpu_utilization",
      "automatic_scaling.cpu_utilization.target_utilization",
      "manual_scaling.instances",
      "resources.cpu",
      "resources.memory_gb");

  /**
   * Paths Pier does not honour whose warning says why. A block named here
   * is named once, with its reason, instead of key by key.
   */
  static final Map<String, String> REASONS = Map.of(
      "env_variables.PORT", "Pier sets PORT",
      "env_variables.DYNO", "Pier sets DYNO");

  private AppYamlKeys() {}

  /**
   * Every key path of {@code top} that Pier does not honour, in file order, each followed by its
   * reason in parentheses when {@link #REASONS} has one (e.g. {@code env_variables.PORT (Pier
   * sets PORT)}).
   */
  static List<String> ignored(MappingNode top) {
    List<String> out = new ArrayList<>();
    walk(top, "", out);
    return out;
  }

  /** True when {@code path} is read by Pier (not counting {@link #REASONS}). */
  static boolean honoured(String path) {
    return HONOURED.stream().anyMatch(pattern -> matches(pattern, path));
  }

  private static void walk(MappingNode node, String prefix, List<String> out) {
    for (NodeTuple entry : node.getValue()) {
      if (!(entry.getKeyNode() instanceof ScalarNode key)) continue; // rejected by AppYaml
      String path = prefix + key.getValue();
      String reason = REASONS.get(path);
      if (reason != null) {
        out.add(path + " (" + reason + ")");
      } else if (honoured(path)) {
        continue;
      } else if (entry.getValueNode() instanceof MappingNode child
          && (block(path) || !child.getValue().isEmpty())) {
        walk(child, path + ".", out);
      } else if (!block(path)) {
        out.add(path);
      }
    }
  }

  /** True for a block holding honoured keys, such as {@code readiness_check}. */
  private static boolean block(String path) {
    return HONOURED.stream().anyMatch(pattern -> pattern.startsWith(path + "."));
  }

  private static boolean matches(String pattern, String path) {
    String[] p = pattern.split("\\.");
    String[] k = path.split("\\.", -1);
    if (p.length != k.length) return false;
    for (int i = 0; i < p.length; i++) {
      if (!p[i].equals("*") && !p[i].equals(k[i])) return false;
    }
    return true;
  }
}
