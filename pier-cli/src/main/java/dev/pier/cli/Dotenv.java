package dev.pier.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code .env} file as the dotenv tools do: {@code KEY=VALUE} lines, blank lines and
 * {@code #} comments ignored, an optional {@code export} prefix; unquoted values are trimmed and
 * end at a {@code #} after a space; {@code 'single'} quotes keep their text as it is; {@code
 * "double"} quotes understand {@code \n}, {@code \t}, {@code \"} and {@code \\} and may span
 * lines. Later lines win over earlier ones.
 */
final class Dotenv {
  private Dotenv() {}

  /**
   * The variables of {@code text}, in file order.
   *
   * @throws CliException naming {@code file} and the line of the first thing it cannot read
   */
  static Map<String, String> parse(String file, String text) {
    Map<String, String> vars = new LinkedHashMap<>();
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      if (line.startsWith("export ")) line = line.substring("export ".length()).strip();
      int eq = line.indexOf('=');
      if (eq <= 0) throw error(file, number, "expected KEY=VALUE");
      String key = line.substring(0, eq).strip();
      try {
        ConfigVar.checkKey(key);
      } catch (CliException e) {
        throw error(file, number, e.getMessage());
      }
      String rest = line.substring(eq + 1).stripLeading();
      String value;
      if (rest.startsWith("'") || rest.startsWith("\"")) {
        char quote = rest.charAt(0);
        StringBuilder raw = new StringBuilder(rest.substring(1));
        int end = closing(raw, quote);
        while (end < 0 && i + 1 < lines.length) { // a quoted value may go on over several lines
          raw.append('\n').append(lines[++i]);
          end = closing(raw, quote);
        }
        if (end < 0) throw error(file, number, "the value's " + quote + " quote is never closed");
        String after = raw.substring(end + 1).strip();
        if (!after.isEmpty() && !after.startsWith("#")) {
          throw error(file, number, "unexpected text after the closing quote: " + after);
        }
        String inside = raw.substring(0, end);
        value = quote == '"' ? unescape(inside) : inside;
      } else {
        int comment = rest.indexOf(" #");
        value = (comment >= 0 ? rest.substring(0, comment) : rest).strip();
      }
      vars.put(key, value);
    }
    return vars;
  }

  /** Index of the quote that closes {@code raw} (backslash escapes count in double quotes), or -1. */
  private static int closing(CharSequence raw, char quote) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (quote == '"' && c == '\\') {
        i++;
      } else if (c == quote) {
        return i;
      }
    }
    return -1;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        out.append(c);
        continue;
      }
      char next = s.charAt(++i);
      switch (next) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case '"', '\\' -> out.append(next);
        default -> out.append('\\').append(next);
      }
    }
    return out.toString();
  }

  private static CliException error(String file, int line, String why) {
    return new CliException(file + " line " + line + ": " + why);
  }
}
