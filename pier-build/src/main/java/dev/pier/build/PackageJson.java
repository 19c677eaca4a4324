package dev.pier.build;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a {@code package.json} a build needs.
 *
 * @param scripts npm scripts (name to command); non-string entries are left out
 * @param dependencyCount number of entries in {@code dependencies}
 * @param devDependencyCount number of entries in {@code devDependencies}
 * @param enginesNode the {@code engines.node} range, or null when absent
 */
public record PackageJson(
    Map<String, String> scripts, int dependencyCount, int devDependencyCount, String enginesNode) {
  /** The file name looked for in the app root. */
  public static final String FILE_NAME = "package.json";

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

  public PackageJson {
    scripts = Collections.unmodifiableMap(new LinkedHashMap<>(scripts));
  }

  public boolean hasScript(String name) {
    return scripts.containsKey(name);
  }

  /** True when there is nothing for npm to install. */
  public boolean hasNoDependencies() {
    return dependencyCount == 0 && devDependencyCount == 0;
  }

  /**
   * Parses package.json text.
   *
   * @throws BuildFailure naming the position of malformed JSON, e.g. {@code package.json line 3,
   *     column 5: Unexpected character ('}' ...)}
   */
  public static PackageJson parse(String text) throws BuildFailure {
    JsonNode root;
    try {
      root = MAPPER.readTree(Procfile.stripBom(text));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? FILE_NAME : FILE_NAME + " line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new BuildFailure(where + ": " + firstLine(e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new BuildFailure(FILE_NAME + " must contain a JSON object ({ ... })");
    }
    Map<String, String> scripts = new LinkedHashMap<>();
    root.path("scripts").properties().forEach(e -> {
      if (e.getValue().isTextual()) scripts.put(e.getKey(), e.getValue().asText());
    });
    JsonNode node = root.path("engines").path("node");
    String engines = node.isMissingNode() || node.isNull()
            ? null
            : node.isValueNode() ? node.asText() : node.toString();
    return new PackageJson(
        scripts, count(root, "dependencies"), count(root, "devDependencies"), engines);
  }

  private static int count(JsonNode root, String field) {
    JsonNode deps = root.path(field);
    return deps.isObject() ? deps.size() : 0;
  }

  private static String firstLine(String s) {
    if (s == null) return "invalid JSON";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
