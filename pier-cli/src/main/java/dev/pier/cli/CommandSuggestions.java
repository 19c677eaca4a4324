package dev.pier.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The commands close to a mistyped one, for "Did you mean": those a typo or two away from the
 * whole name ({@code app:create} for {@code apps:create}) or from its part after the colon
 * ({@code destroy} for {@code apps:destroy}), closest first. Unrelated commands are never
 * suggested, however few there are.
 */
final class CommandSuggestions {
  private static final int MAX = 3;

  private CommandSuggestions() {}

  static List<String> closeTo(String typed, Collection<String> commands) {
    String t = typed.toLowerCase(Locale.ROOT);
    record Scored(String command, int distance) {}
    return commands.stream()
        .map(c -> new Scored(c, distanceTo(t, c.toLowerCase(Locale.ROOT))))
        .filter(s -> s.distance() <= allowed(t))
        .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::command))
        .limit(MAX)
        .map(Scored::command)
        .toList();
  }

  /** Typos allowed for a name of this length: 1 up to 5 characters, then one more per 4, at most 3. */
  private static int allowed(String typed) {
    return Math.min(3, Math.max(1, (typed.length() - 1) / 4));
  }

  private static int distanceTo(String typed, String command) {
    int whole = osa(typed, command);
    int colon = command.indexOf(':');
    if (colon < 0 || typed.indexOf(':') >= 0) return whole;
    return Math.min(whole, osa(typed, command.substring(colon + 1)));
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
  static int osa(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
