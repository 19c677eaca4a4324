package dev.pier.build;

import dev.pier.build.staticsite.StaticSiteBuildpack;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides an app's process types from its Procfile, its app.yaml entrypoint and its buildpack's
 * defaults, and reports them Heroku style. The web command comes from the Procfile, else the
 * app.yaml entrypoint, else the buildpack; other types from the Procfile, else the buildpack.
 * The result lists web first, then the Procfile's types in file order, then other defaults. A
 * static site ({@link StaticSiteBuildpack#SERVED_BY_ROUTER}) has none.
 */
final class ProcessTypes {
  private ProcessTypes() {}

  /**
   * @param procfile parsed Procfile, or null when there is none
   * @param appYaml parsed app.yaml, or null when there is none
   * @throws BuildFailure when no process type at all results
   */
  static Map<String, String> resolve(
      Map<String, String> procfile, AppYaml appYaml, Map<String, String> defaults, BuildOutput out)
      throws BuildFailure {
    if (StaticSiteBuildpack.SERVED_BY_ROUTER.equals(defaults.get("web"))) {
      // A static site: the router serves its files; it runs no process.
      out.step("Discovering process types");
      out.info("None: the router serves this static site from its files");
      return Map.of();
    }
    Map<String, String> declared = procfile == null ? Map.of() : procfile;
    String entrypoint = appYaml == null ? null : appYaml.entrypoint();
    boolean webFromProcfile = declared.containsKey("web");
    boolean webFromEntrypoint = !webFromProcfile && entrypoint != null;

    Map<String, String> types = new LinkedHashMap<>();
    if (webFromProcfile) {
      types.put("web", declared.get("web"));
    } else if (webFromEntrypoint) {
      types.put("web", entrypoint);
    } else if (defaults.containsKey("web")) {
      types.put("web", defaults.get("web"));
    }
    types.putAll(declared);
    List<String> defaultsUsed =
        defaults.keySet().stream()
            .filter(t -> !declared.containsKey(t))
            .filter(t -> !(t.equals("web") && webFromEntrypoint))
            .toList();
    defaultsUsed.forEach(t -> types.putIfAbsent(t, defaults.get(t)));
    if (types.isEmpty()) throw new BuildFailure(Builder.NO_PROCESS_TYPES);

    out.step("Discovering process types");
    if (procfile != null) {
      out.info("Procfile declares types -> "
          + (declared.isEmpty() ? "(none)" : String.join(", ", declared.keySet())));
    }
    if (webFromEntrypoint) out.info("app.yaml entrypoint -> web");
    if (!defaultsUsed.isEmpty()) {
      out.info("Default types for buildpack -> " + String.join(", ", defaultsUsed));
    }
    return types;
  }
}
