package dev.pier.build.nodejs;

import dev.pier.build.BuildFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Node.js release builds and runs an app, and why, from what it asks for and the releases
 * on offer:
 *
 * <ol>
 *   <li>{@code engines.node} of package.json, an npm semver range: the newest release it allows.
 *       With app.yaml {@code runtime: nodejsNN} too, the newest release both allow; when none
 *       does, engines.node wins and {@link #warning()} says so;
 *   <li>else app.yaml {@code runtime: nodejsNN}: the newest {@code NN.x};
 *   <li>else the current LTS: the newest release of the highest even major no newer than the
 *       registry's {@code latest} (Node.js's even majors are its LTS lines; the registry's
 *       package carries no LTS flag).
 * </ol>
 *
 * @param release the chosen release
 * @param reason why, for the build output: {@code engines.node "22.x"}
 * @param warning a disagreement to show, or null
 */
public record NodeChoice(NodeRelease release, String reason, String warning) {
  private static final Pattern RUNTIME = Pattern.compile("nodejs(\\d{1,3})");
  private static final Pattern FIRST_NUMBER = Pattern.compile("(\\d{1,9})");

  /** The major app.yaml's {@code runtime: nodejsNN} asks for, or null ({@code nodejs}, others). */
  public static Integer runtimeMajor(String appYamlRuntime) {
    if (appYamlRuntime == null) return null;
    Matcher m = RUNTIME.matcher(appYamlRuntime.strip());
    return m.matches() ? Integer.valueOf(m.group(1)) : null;
  }

  /**
   * Chooses among {@code offered}.
   *
   * @param engines package.json {@code engines.node}, or null
   * @param appYamlRuntime app.yaml's runtime ({@code nodejs22}), or null
   * @param latest the registry's {@code latest} version, or null when unknown
   * @return empty when nothing offered fits (or nothing is offered)
   * @throws BuildFailure when engines.node is not a version range
   */
  public static Optional<NodeChoice> choose(
      String engines, String appYamlRuntime, List<NodeRelease> offered, String latest)
      throws BuildFailure {
    List<NodeRelease> newestFirst = new ArrayList<>(offered);
    newestFirst.sort(NodeRelease.BY_VERSION.reversed());
    Integer major = runtimeMajor(appYamlRuntime);
    if (engines != null) {
      NodeVersionRange range = range(engines);
      String why = "engines.node \"" + engines.strip() + "\"";
      Optional<NodeRelease> allowed = newestFirst.stream().filter(r -> range.allows(r.version())).findFirst();
      if (major != null) {
        Optional<NodeRelease> both = newestFirst.stream()
            .filter(r -> r.major() == major && range.allows(r.version())).findFirst();
        if (both.isPresent()) return Optional.of(new NodeChoice(both.get(), why + ", app.yaml runtime " + appYamlRuntime.strip(), null));
        String warning = "app.yaml runtime " + appYamlRuntime.strip() + " asks for Node.js " + major
            + ", but package.json " + why + " does not allow it: engines.node wins";
        return allowed.map(r -> new NodeChoice(r, why, warning));
      }
      return allowed.map(r -> new NodeChoice(r, why, null));
    }
    if (major != null) {
      return newestFirst.stream().filter(r -> r.major() == major).findFirst()
          .map(r -> new NodeChoice(r, "app.yaml runtime " + appYamlRuntime.strip(), null));
    }
    Integer ceiling = latest == null ? null : NodeRelease.parse(latest).map(p -> p[0]).orElse(null);
    return newestFirst.stream()
        .filter(r -> r.major() % 2 == 0 && (ceiling == null || r.major() <= ceiling))
        .findFirst()
        .map(r -> new NodeChoice(r, "the current LTS: package.json has no engines.node", null));
  }

  /**
   * The failure of a range no release satisfies, naming the newest release of the majors nearest
   * to the one the range names: {@code No Node.js release matches engines.node "17.5.x" (the
   * nearest available: 16.20.2, 18.20.8, ...)}.
   */
  public static String unsatisfiable(String engines, String appYamlRuntime, List<NodeRelease> offered) {
    String asked = engines != null ? "engines.node \"" + engines.strip() + "\"" : "app.yaml runtime " + appYamlRuntime;
    TreeMap<Integer, NodeRelease> newestOfMajor = new TreeMap<>();
    for (NodeRelease r : offered) newestOfMajor.merge(r.major(), r, (a, b) -> NodeRelease.BY_VERSION.compare(a, b) >= 0 ? a : b);
    if (newestOfMajor.isEmpty()) return "No Node.js release matches " + asked + ": the registry lists none";
    Integer anchor = engines != null ? firstNumber(engines) : runtimeMajor(appYamlRuntime);
    int near = anchor == null ? newestOfMajor.lastKey() : anchor;
    List<Integer> majors = new ArrayList<>(newestOfMajor.keySet());
    majors.sort(Comparator.comparingInt((Integer m) -> Math.abs(m - near)).thenComparing(Comparator.reverseOrder()));
    int suggested = majors.getFirst();
    List<Integer> nearest = new ArrayList<>(majors.subList(0, Math.min(4, majors.size())));
    nearest.sort(null);
    List<String> names = nearest.stream().map(m -> newestOfMajor.get(m).version()).toList();
    return "No Node.js release matches " + asked + " (the nearest available: "
        + String.join(", ", names) + "): change it in "
        + (engines != null ? "package.json" : "app.yaml") + " to one of these, e.g. \""
        + suggested + ".x\"";
  }

  /** Parses engines.node, failing the build with examples when it is not a range. */
  static NodeVersionRange range(String engines) throws BuildFailure {
    return NodeVersionRange.parse(engines).orElseThrow(() -> new BuildFailure("package.json engines.node \""
        + engines.strip() + "\" is not a version range Pier understands (for example \"22.x\","
        + " \">=20 <23\", \"^22.11\" or \"22.12.0\")"));
  }

  private static Integer firstNumber(String text) {
    Matcher m = FIRST_NUMBER.matcher(text);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }
}
