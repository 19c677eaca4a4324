package dev.pier.build.custom;

import dev.pier.build.BuildFailure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What a custom buildpack's {@code bin/release} prints, Heroku's format:
 *
 * <pre>
 * ---
 * addons: []
 * config_vars:
 *   LANG: en_US.UTF-8
 * default_process_types:
 *   web: ./start.sh
 * </pre>
 *
 * Other keys ({@code addons}) are accepted and ignored; empty output means nothing declared.
 * Parsed with SnakeYAML's safe constructor (plain maps, lists and scalars only).
 *
 * @param defaultProcessTypes process type to command, in file order
 * @param configVars default environment of the app's instances, in file order
 */
public record ReleaseYaml(Map<String, String> defaultProcessTypes, Map<String, String> configVars) {
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,29}");
  private static final Pattern VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public ReleaseYaml {
    defaultProcessTypes = Collections.unmodifiableMap(new LinkedHashMap<>(defaultProcessTypes));
    configVars = Collections.unmodifiableMap(new LinkedHashMap<>(configVars));
  }

  /**
   * Parses {@code bin/release} output.
   *
   * @param what how the output is named in errors, e.g. {@code bin/release of https://x/bp.git}
   * @throws BuildFailure naming {@code what} and the line
   */
  public static ReleaseYaml parse(String text, String what) throws BuildFailure {
    Object root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(20);
      options.setCodePointLimit(1024 * 1024);
      root = new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      throw new BuildFailure(what + (mark == null ? "" : " line " + (mark.getLine() + 1)) + ": "
          + firstLine(problem));
    } catch (YAMLException e) {
      throw new BuildFailure(what + ": " + firstLine(e.getMessage()));
    }
    if (root == null) return new ReleaseYaml(Map.of(), Map.of());
    if (!(root instanceof Map<?, ?> top)) {
      throw new BuildFailure(what + ": expected a YAML mapping with default_process_types and config_vars");
    }
    return new ReleaseYaml(
        strings(top.get("default_process_types"), "default_process_types", TYPE, what),
        strings(top.get("config_vars"), "config_vars", VAR, what));
  }

  private static Map<String, String> strings(Object value, String key, Pattern names, String what)
      throws BuildFailure {
    Map<String, String> result = new LinkedHashMap<>();
    if (value == null) return result;
    if (!(value instanceof Map<?, ?> map)) {
      throw new BuildFailure(what + ": " + key + " must be a mapping of 'name: value' lines");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = String.valueOf(e.getKey());
      if (!names.matcher(name).matches()) {
        throw new BuildFailure(what + ": " + key + " has an invalid name '" + name.replaceAll("[^\\x20-\\x7e]", "?") + "'");
      }
      Object v = e.getValue();
      if (v instanceof Map<?, ?> || v instanceof List<?>) {
        throw new BuildFailure(what + ": " + key + "." + name + " must be a string");
      }
      result.put(name, v == null ? "" : String.valueOf(v));
    }
    return result;
  }

  private static String firstLine(String s) {
    if (s == null) return "invalid YAML";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
