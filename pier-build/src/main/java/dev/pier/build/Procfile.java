package dev.pier.build;

import dev.pier.model.ProcessType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a Procfile: one {@code type: command} per line, blank lines and {@code #} comments
 * ignored. Types must be valid {@link ProcessType}s, each declared once, with a non-empty command.
 */
public final class Procfile {
  /** The file name looked for in the app root. */
  public static final String FILE_NAME = "Procfile";

  private Procfile() {}

  /**
   * Returns process type to command in file order.
   *
   * @throws BuildFailure naming the line, e.g. {@code Procfile line 2: expected 'type: command'}
   */
  public static Map<String, String> parse(String text) throws BuildFailure {
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, Integer> declaredOn = new LinkedHashMap<>();
    String[] lines = stripBom(text).split("\r?\n|\r", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      int colon = line.indexOf(':');
      if (colon <= 0) throw failure(lineNo, "expected 'type: command'");
      String type = line.substring(0, colon).strip();
      String command = line.substring(colon + 1).strip();
      try {
        ProcessType.of(type);
      } catch (IllegalArgumentException e) {
        throw failure(lineNo, e.getMessage());
      }
      if (command.isEmpty()) {
        throw failure(lineNo, "empty command for process type '" + type + "'");
      }
      Integer first = declaredOn.putIfAbsent(type, lineNo);
      if (first != null) {
        throw failure(
            lineNo, "duplicate process type '" + type + "' (first declared on line " + first + ")");
      }
      types.put(type, command);
    }
    return Collections.unmodifiableMap(types);
  }

  private static BuildFailure failure(int lineNo, String problem) {
    return new BuildFailure(FILE_NAME + " line " + lineNo + ": " + problem);
  }

  static String stripBom(String text) {
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
