package dev.pier.build;

import java.util.ArrayDeque;

/**
 * Refuses the regular-expression features that make matching take exponential time on a short
 * input: back-references ({@code \1}, {@code \k<name>}) and nested quantifiers (a quantified
 * group that itself contains a quantifier, as in {@code (a+)+} or {@code (.*a){12}}). The router
 * also bounds every match ({@link dev.pier.model.BoundedRegex}); this catches the plain mistakes
 * at build time with a clear message.
 */
final class RegexSafety {
  private RegexSafety() {}

  /** Why {@code regex} (a valid pattern) is refused, or null when it is accepted. */
  static String problem(String regex) {
    // One entry per open group: whether a quantifier occurred inside it (nested groups included).
    ArrayDeque<boolean[]> groups = new ArrayDeque<>();
    boolean lastClosedGroupHasQuantifier = false;
    boolean afterGroupClose = false;
    int n = regex.length();
    for (int i = 0; i < n; i++) {
      char c = regex.charAt(i);
      boolean closed = false;
      if (c == '\\') {
        if (i + 1 < n) {
          char e = regex.charAt(i + 1);
          if (e >= '1' && e <= '9') return "it uses a back-reference (\\" + e + ")";
          if (e == 'k' && i + 2 < n && regex.charAt(i + 2) == '<') return "it uses a back-reference (\\k<...>)";
          if (e == 'Q') {
            int end = regex.indexOf("\\E", i + 2);
            i = end < 0 ? n : end + 1;
            afterGroupClose = false;
            continue;
          }
        }
        i++;
      } else if (c == '[') {
        i = classEnd(regex, i);
      } else if (c == '(') {
        groups.push(new boolean[] {false});
        if (i + 1 < n && regex.charAt(i + 1) == '?') i++; // (?: (?= (?<name> ...: not a quantifier
      } else if (c == ')') {
        boolean[] g = groups.isEmpty() ? new boolean[] {false} : groups.pop();
        lastClosedGroupHasQuantifier = g[0];
        if (g[0] && !groups.isEmpty()) groups.peek()[0] = true;
        closed = true;
      } else if (c == '*' || c == '+' || c == '?' || c == '{') {
        boolean repeats = c != '?' && !(c == '{' && boundedToOne(regex, i));
        if (afterGroupClose && lastClosedGroupHasQuantifier && repeats) {
          return "it has nested quantifiers (a repeated group that contains a quantifier)";
        }
        if (!groups.isEmpty()) groups.peek()[0] = true;
        if (c == '{') {
          int end = regex.indexOf('}', i);
          i = end < 0 ? n : end;
        }
        // a lazy or possessive modifier right after: part of this quantifier
        if (i + 1 < n && (regex.charAt(i + 1) == '?' || regex.charAt(i + 1) == '+')) i++;
      }
      afterGroupClose = closed;
    }
    return null;
  }

  /** True for {@code {0}}, {@code {1}}, {@code {0,1}}: at most one repetition. */
  private static boolean boundedToOne(String regex, int open) {
    int end = regex.indexOf('}', open);
    if (end < 0) return false;
    String body = regex.substring(open + 1, end).strip();
    return body.equals("0") || body.equals("1") || body.equals("0,1") || body.equals("1,1")
        || body.equals("0,0");
  }

  /** The index of the {@code ]} closing the character class opened at {@code open}. */
  private static int classEnd(String regex, int open) {
    int i = open + 1;
    if (i < regex.length() && regex.charAt(i) == '^') i++;
    if (i < regex.length() && regex.charAt(i) == ']') i++; // a leading ] is literal
    int depth = 1;
    for (; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') i++;
      else if (c == '[') depth++;
      else if (c == ']' && --depth == 0) return i;
    }
    return regex.length();
  }
}
