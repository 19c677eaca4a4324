package dev.pier.build.nodejs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small subset of npm semver ranges, enough to check {@code engines.node}: {@code ||} between
 * alternatives, space-separated comparators that must all hold, {@code A - B} hyphen ranges, the
 * operators {@code >= > <= < =}, {@code ^} and {@code ~}, partial versions ({@code 18}, {@code
 * 18.2}) and wildcards ({@code x}, {@code X}, {@code *}). Prerelease tags are ignored.
 *
 * <p>Examples: {@code ^18.2} means {@code >=18.2.0 <19.0.0}; {@code ~1.2} means {@code >=1.2.0
 * <1.3.0}; {@code <=20} means {@code <21.0.0}; {@code 18.x || >=20} allows 18.* and 20 and up.
 */
public final class NodeVersionRange {
  private static final Pattern PARTIAL =
      Pattern.compile(
          "v?(\\d{1,9}|[xX*])(?:\\.(\\d{1,9}|[xX*]))?(?:\\.(\\d{1,9}|[xX*]))?(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?");
  private static final Pattern COMPARATOR = Pattern.compile("(>=|<=|>|<|=|\\^|~>?)?(.+)");

  private final String text;
  private final List<Predicate<int[]>> alternatives;

  private NodeVersionRange(String text, List<Predicate<int[]>> alternatives) {
    this.text = text;
    this.alternatives = alternatives;
  }

  /** Returns the parsed range, or empty when it uses syntax outside the supported subset. */
  public static Optional<NodeVersionRange> parse(String range) {
    if (range == null) return Optional.empty();
    String normalized = range.strip().replaceAll("(>=|<=|>|<|=|\\^|~>?)\\s+", "$1");
    List<Predicate<int[]>> alternatives = new ArrayList<>();
    for (String alternative : normalized.split("\\|\\|", -1)) {
      Predicate<int[]> set = parseSet(alternative.strip());
      if (set == null) return Optional.empty();
      alternatives.add(set);
    }
    return Optional.of(new NodeVersionRange(range.strip(), List.copyOf(alternatives)));
  }

  /** Parses a version such as {@code v20.11.1} or {@code 20.11.1} into major, minor, patch. */
  public static Optional<int[]> parseVersion(String version) {
    Matcher m = PARTIAL.matcher(version.strip());
    if (!m.matches() || m.group(3) == null || isWild(m.group(1)) || isWild(m.group(2))
        || isWild(m.group(3))) {
      return Optional.empty();
    }
    return Optional.of(
        new int[] {
          Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))
        });
  }

  /** True when {@code version} (such as {@code v20.11.1}) satisfies this range. */
  public boolean allows(String version) {
    int[] v = parseVersion(version).orElseThrow(
        () -> new IllegalArgumentException("not a version: " + version));
    return alternatives.stream().anyMatch(p -> p.test(v));
  }

  @Override
  public String toString() {
    return text;
  }

  /** An empty string means any version, as in npm. */
  private static Predicate<int[]> parseSet(String set) {
    if (set.isEmpty()) return v -> true;
    String[] hyphen = set.split("\\s+-\\s+", -1);
    if (hyphen.length == 2) {
      Partial low = Partial.parse(hyphen[0].strip());
      Partial high = Partial.parse(hyphen[1].strip());
      if (low == null || high == null) return null;
      return v -> low.lowerBound(v) && high.upperBoundInclusive(v);
    }
    if (hyphen.length > 2) return null;
    Predicate<int[]> all = v -> true;
    for (String token : set.split("\\s+")) {
      Predicate<int[]> comparator = parseComparator(token);
      if (comparator == null) return null;
      all = all.and(comparator);
    }
    return all;
  }

  private static Predicate<int[]> parseComparator(String token) {
    Matcher m = COMPARATOR.matcher(token);
    if (!m.matches()) return null;
    Partial p = Partial.parse(m.group(2));
    if (p == null) return null;
    String op = m.group(1) == null ? "=" : m.group(1);
    return switch (op) {
      case "=" -> v -> p.lowerBound(v) && p.upperBoundInclusive(v);
      case ">=" -> p::lowerBound;
      case ">" -> v -> !p.upperBoundInclusive(v);
      case "<" -> v -> !p.lowerBound(v);
      case "<=" -> p::upperBoundInclusive;
      case "~", "~>" -> v -> p.lowerBound(v) && compare(v, p.tildeCeiling()) < 0;
      case "^" -> v -> p.lowerBound(v) && compare(v, p.caretCeiling()) < 0;
      default -> null;
    };
  }

  static int compare(int[] a, int[] b) {
    for (int i = 0; i < 3; i++) {
      if (a[i] != b[i]) return Integer.compare(a[i], b[i]);
    }
    return 0;
  }

  private static boolean isWild(String part) {
    return part == null || part.equals("x") || part.equals("X") || part.equals("*");
  }

  /** A version with 0 to 3 known parts; {@code known == 0} is a bare wildcard. */
  private record Partial(int[] parts, int known) {
    static Partial parse(String s) {
      Matcher m = PARTIAL.matcher(s);
      if (!m.matches()) return null;
      int[] parts = new int[3];
      int known = 0;
      for (int i = 0; i < 3; i++) {
        String g = m.group(i + 1);
        if (isWild(g)) break;
        parts[i] = Integer.parseInt(g);
        known++;
      }
      return new Partial(parts, known);
    }

    /** v >= this version with missing parts as zero. */
    boolean lowerBound(int[] v) {
      return compare(v, parts) >= 0;
    }

    /** v <= this version, where a partial version covers all versions it names. */
    boolean upperBoundInclusive(int[] v) {
      if (known == 3) return compare(v, parts) <= 0;
      if (known == 0) return true;
      return compare(v, bump(known - 1)) < 0;
    }

    int[] tildeCeiling() {
      return known == 0 ? new int[] {Integer.MAX_VALUE, 0, 0} : bump(known >= 2 ? 1 : 0);
    }

    int[] caretCeiling() {
      if (known == 0) return new int[] {Integer.MAX_VALUE, 0, 0};
      if (parts[0] != 0 || known == 1) return bump(0);
      if (parts[1] != 0 || known == 2) return bump(1);
      return bump(2);
    }

    /** This version with part {@code index} incremented and later parts zeroed. */
    private int[] bump(int index) {
      int[] next = new int[3];
      for (int i = 0; i < index; i++) next[i] = parts[i];
      next[index] = parts[index] + 1;
      return next;
    }
  }
}
