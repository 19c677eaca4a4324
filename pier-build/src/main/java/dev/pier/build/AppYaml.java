package dev.pier.build;

import java.io.StringReader;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The parts of a Google App Engine {@code app.yaml} that Pier understands.
 *
 * <p>Parsing composes the YAML node tree only (no object construction, so no YAML tags can
 * instantiate anything), which also keeps line numbers for every error message.
 *
 * @param runtime e.g. {@code nodejs20}
 * @param entrypoint the web command, or null when absent
 * @param envVariables {@code env_variables}, in file order
 * @param flexible true when the file had an {@code env:} or {@code vm:} line (accepted; Pier runs
 *     every app the same way)
 * @param ignoredKeys every key path Pier does not honour, at any depth, in file order (see
 *     {@link AppYamlKeys}), e.g. {@code readiness_check.failure_threshold}, {@code
 *     env_variables.PORT (Pier sets PORT)}
 * @param readinessPath {@code readiness_check.path}: the HTTP path that must answer 2xx before an
 *     instance gets traffic, or null
 * @param scaling {@code automatic_scaling}, {@code manual_scaling} and {@code resources} mapped
 *     onto Pier's settings ({@link AppScaling#NONE} when the file has none of them)
 * @param serving {@code handlers}, {@code liveness_check} and {@code
 *     readiness_check.check_interval_sec} ({@link AppServing#NONE} when the file has none)
 */
public record AppYaml(
    String runtime,
    String entrypoint,
    Map<String, String> envVariables,
    boolean flexible,
    List<String> ignoredKeys,
    String readinessPath,
    AppScaling scaling,
    AppServing serving) {
  /** The file name looked for in the app root. */
  public static final String FILE_NAME = "app.yaml";

  private static final Pattern NODEJS = Pattern.compile("nodejs[0-9]*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public AppYaml {
    envVariables = Collections.unmodifiableMap(new LinkedHashMap<>(envVariables));
    ignoredKeys = List.copyOf(ignoredKeys);
    scaling = scaling == null ? AppScaling.NONE : scaling;
    serving = serving == null ? AppServing.NONE : serving;
  }

  /** An app.yaml without handlers or health checks beyond readiness_check.path. */
  public AppYaml(String runtime, String entrypoint, Map<String, String> envVariables,
      boolean flexible, List<String> ignoredKeys, String readinessPath, AppScaling scaling) {
    this(runtime, entrypoint, envVariables, flexible, ignoredKeys, readinessPath, scaling, AppServing.NONE);
  }

  /** An app.yaml without scaling or resources keys. */
  public AppYaml(String runtime, String entrypoint, Map<String, String> envVariables,
      boolean flexible, List<String> ignoredKeys, String readinessPath) {
    this(runtime, entrypoint, envVariables, flexible, ignoredKeys, readinessPath, AppScaling.NONE);
  }

  /** True for {@code nodejs} and versioned forms such as {@code nodejs20}. */
  public boolean isNodejs() {
    return runtime != null && NODEJS.matcher(runtime).matches();
  }

  /**
   * Parses app.yaml text.
   *
   * @throws BuildFailure naming the line, e.g. {@code app.yaml line 3: mapping values are not
   *     allowed here}
   */
  public static AppYaml parse(String text) throws BuildFailure {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true); // reported below with a line number
      options.setMaxAliasesForCollections(20);
      options.setCodePointLimit(1024 * 1024);
      root = new Yaml(options).compose(new StringReader(Procfile.stripBom(text)));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      throw at(mark, problem);
    } catch (YAMLException e) {
      throw new BuildFailure(FILE_NAME + ": " + firstLine(e.getMessage()));
    }
    if (root == null) throw new BuildFailure(FILE_NAME + " is empty: add 'runtime: nodejs20'");
    MappingNode top = mapping(root, "the file");

    String runtime = null;
    String entrypoint = null;
    boolean flexible = false;
    Map<String, String> env = new LinkedHashMap<>();
    String readinessPath = null;
    Integer bootTimeout = null;
    Integer readinessInterval = null;
    LivenessCheck liveness = null;
    Node handlers = null;
    Long defaultMaxAge = HandlerKeys.DEFAULT_MAX_AGE;
    ScalingKeys scaling = new ScalingKeys();
    for (NodeTuple entry : entries(top, "the file")) {
      String key = ((ScalarNode) entry.getKeyNode()).getValue();
      Node value = entry.getValueNode();
      switch (key) {
        case "runtime" -> runtime = string(value, "runtime");
        case "entrypoint" -> entrypoint = string(value, "entrypoint");
        case "env", "vm" -> flexible = true;
        case "env_variables" -> env = envVariables(value);
        case "readiness_check" -> {
          readinessPath = readinessPath(value);
          bootTimeout = appStartTimeout(value);
          readinessInterval = HealthCheckKeys.readinessInterval(value);
        }
        case "liveness_check" -> liveness = HealthCheckKeys.liveness(value);
        case "handlers" -> handlers = value;
        case "default_expiration" -> defaultMaxAge = HandlerKeys.expiration(value, "default_expiration");
        case "automatic_scaling" -> scaling.automatic(entry);
        case "manual_scaling" -> scaling.manual(entry);
        case "resources" -> scaling.resources(entry);
        default -> { } // named by AppYamlKeys
      }
    }
    if (runtime == null) {
      throw at(root.getStartMark(), "missing 'runtime' (for example 'runtime: nodejs20')");
    }
    if (entrypoint != null && entrypoint.isBlank()) entrypoint = null;
    List<String> handlerWarnings = new java.util.ArrayList<>();
    var handlerList = handlers == null ? List.<dev.pier.model.StaticHandler>of()
        : HandlerKeys.parse(handlers, defaultMaxAge, handlerWarnings);
    AppServing serving = new AppServing(handlerList, readinessInterval, liveness, handlerWarnings);
    return new AppYaml(runtime, entrypoint, env, flexible, AppYamlKeys.ignored(top), readinessPath,
        scaling.result().withBootTimeout(bootTimeout), serving);
  }

  /** {@code readiness_check: {path: /ready}}; other keys of it are accepted and ignored. */
  private static String readinessPath(Node value) throws BuildFailure {
    if (isNull(value)) return null;
    for (NodeTuple entry : entries(mapping(value, "readiness_check"), "readiness_check")) {
      if (!((ScalarNode) entry.getKeyNode()).getValue().equals("path")) continue;
      String path = string(entry.getValueNode(), "readiness_check.path");
      if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw at(entry.getValueNode().getStartMark(),
            "readiness_check.path must be a URL path starting with '/', e.g. /ready");
      }
      return path;
    }
    return null;
  }

  /** {@code readiness_check.app_start_timeout_sec}: web's boot timeout in seconds, or null. */
  private static Integer appStartTimeout(Node value) throws BuildFailure {
    if (isNull(value)) return null;
    for (NodeTuple entry : mapping(value, "readiness_check").getValue()) {
      if (((ScalarNode) entry.getKeyNode()).getValue().equals("app_start_timeout_sec")) {
        return ScalingKeys.whole(entry.getValueNode(), "readiness_check.app_start_timeout_sec", 1,
            AppScaling.MAX_BOOT_SECONDS);
      }
    }
    return null;
  }

  private static Map<String, String> envVariables(Node value) throws BuildFailure {
    Map<String, String> env = new LinkedHashMap<>();
    if (isNull(value)) return env;
    for (NodeTuple entry : entries(mapping(value, "env_variables"), "env_variables")) {
      String name = ((ScalarNode) entry.getKeyNode()).getValue();
      if (!ENV_NAME.matcher(name).matches()) {
        throw at(entry.getKeyNode().getStartMark(), "invalid variable name '" + name + "'");
      }
      env.put(name, string(entry.getValueNode(), "env_variables." + name));
    }
    return env;
  }

  /** Returns the entries of a mapping whose keys are all plain scalars, each used once. */
  static List<NodeTuple> entries(MappingNode node, String what) throws BuildFailure {
    Set<String> seen = new HashSet<>();
    for (NodeTuple entry : node.getValue()) {
      if (!(entry.getKeyNode() instanceof ScalarNode key)) {
        throw at(entry.getKeyNode().getStartMark(), "keys of " + what + " must be plain names");
      }
      if (!seen.add(key.getValue())) {
        throw at(key.getStartMark(), "duplicate key '" + key.getValue() + "'");
      }
    }
    return node.getValue();
  }

  static MappingNode mapping(Node node, String what) throws BuildFailure {
    if (node instanceof MappingNode m) return m;
    throw at(node.getStartMark(), what + " must be a mapping of 'key: value' lines");
  }

  private static String string(Node node, String what) throws BuildFailure {
    if (node instanceof ScalarNode s && !isNull(node)) return s.getValue();
    throw at(node.getStartMark(), what + " must be a string");
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  static BuildFailure at(Mark mark, String problem) {
    String where = mark == null ? FILE_NAME : FILE_NAME + " line " + (mark.getLine() + 1);
    return new BuildFailure(where + ": " + firstLine(problem));
  }

  private static String firstLine(String s) {
    if (s == null) return "invalid YAML";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
