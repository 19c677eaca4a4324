package dev.pier.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A URL path pattern as static.json writes them (Heroku's static buildpack): {@code **} matches
 * any run of characters including {@code /}, {@code *} any run within one path segment, every
 * other character itself. {@code /**} matches every path; {@code /assets/*.js} a script directly
 * under /assets. Equal when their text is equal; immutable and thread-safe.
 */
public final class PathGlob {
  private final String glob;
  private final Pattern pattern;

  private PathGlob(String glob) {
    this.glob = glob;
    this.pattern = Pattern.compile(toRegex(glob));
  }

  /**
   * @throws IllegalArgumentException if {@code glob} does not start with {@code /}
   */
  public static PathGlob of(String glob) {
    if (glob == null || !glob.startsWith("/")) {
      throw new IllegalArgumentException("a path pattern starts with /: " + glob);
    }
    return new PathGlob(glob);
  }

  /** True when the decoded request path {@code path} matches the whole pattern. */
  public boolean matches(String path) {
    return pattern.matcher(path).matches();
  }

  public String glob() {
    return glob;
  }

  private static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathGlob other && other.glob.equals(glob);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(glob);
  }

  @Override
  public String toString() {
    return glob;
  }
}
