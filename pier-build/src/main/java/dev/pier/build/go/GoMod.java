package dev.pier.build.go;

import dev.pier.build.BuildFailure;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the build needs from a {@code go.mod}: the module path and the Go version it names.
 *
 * @param module e.g. {@code example.com/hello}
 * @param goVersion e.g. {@code 1.19}, or null when the file has no {@code go} line
 */
record GoMod(String module, String goVersion) {
  private static final Pattern MODULE = Pattern.compile("(?m)^\\s*module\\s+\"?([^\"\\s]+)\"?\\s*(?://.*)?$");
  private static final Pattern GO = Pattern.compile("(?m)^\\s*go\\s+([0-9][0-9.a-z]*)\\s*(?://.*)?$");
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");

  /**
   * Parses the text of a go.mod.
   *
   * @throws BuildFailure when it has no {@code module} line
   */
  static GoMod parse(String text) throws BuildFailure {
    Matcher module = MODULE.matcher(text);
    if (!module.find()) {
      throw new BuildFailure("go.mod: no 'module' line (for example 'module example.com/hello')");
    }
    Matcher go = GO.matcher(text);
    return new GoMod(module.group(1), go.find() ? go.group(1) : null);
  }

  /**
   * The binary's name: the module path's last element without a major-version suffix ({@code
   * example.com/hello/v2} gives {@code hello}), or {@code app} when that is not a plain file name.
   */
  String binaryName() {
    String[] parts = module.split("/");
    String last = parts[parts.length - 1];
    if (last.matches("v[0-9]+") && parts.length > 1) last = parts[parts.length - 2];
    return SAFE.matcher(last).matches() && !last.startsWith(".") ? last : "app";
  }
}
