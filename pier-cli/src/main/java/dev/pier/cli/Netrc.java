package dev.pier.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a {@code machine HOST login pier password TOKEN} entry in {@code ~/.netrc}, which git reads
 * (through libcurl) so that {@code git push http://HOST:PORT/git/APP.git} asks for nothing.
 *
 * <p>Editing keeps every other entry, comment and macro exactly as it was; all entries for the
 * host are replaced by one, at the position of the first.
 */
final class Netrc {
  static final String LOGIN = "pier";

  private Netrc() {}

  /** Writes the entry for {@code host} into {@code file} (mode 0600), replacing any previous one. */
  static void save(Path file, String host, String password) throws IOException {
    String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    SecureFiles.writeOwnerOnly(file, withMachine(existing, host, LOGIN, password));
  }

  /**
   * Removes every entry for {@code host} from {@code file}, keeping all else as it was; returns
   * whether there was one (the file is left untouched when not).
   */
  static boolean remove(Path file, String host) throws IOException {
    if (!Files.exists(file)) return false;
    String existing = Files.readString(file, StandardCharsets.UTF_8);
    String without = withoutMachine(existing, host);
    if (without.equals(existing)) return false;
    SecureFiles.writeOwnerOnly(file, without);
    return true;
  }

  /** Returns {@code text} without the entries for {@code host}. */
  static String withoutMachine(String text, String host) {
    StringBuilder result = new StringBuilder();
    int from = 0;
    for (int[] span : machineSpans(text, host)) {
      result.append(text, from, span[0]);
      from = span[1];
    }
    return result.append(text.substring(from)).toString();
  }

  /** Returns {@code text} with exactly one entry for {@code host}, holding these login details. */
  static String withMachine(String text, String host, String login, String password) {
    String entry = "machine " + quote(host) + " login " + quote(login) + " password " + quote(password) + "\n";
    List<int[]> spans = machineSpans(text, host);
    if (spans.isEmpty()) {
      String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
      return text + separator + entry;
    }
    StringBuilder result = new StringBuilder();
    int from = 0;
    for (int i = 0; i < spans.size(); i++) {
      int[] span = spans.get(i);
      result.append(text, from, span[0]);
      if (i == 0) {
        result.append(entry);
      }
      from = span[1];
    }
    return result.append(text.substring(from)).toString();
  }

  /**
   * Returns the [start, end) character ranges of the entries for {@code host}: from the
   * {@code machine} keyword to the start of the next entry ({@code machine} or {@code default}) or
   * the end of the text.
   */
  private static List<int[]> machineSpans(String text, String host) {
    List<Token> tokens = tokens(text);
    List<int[]> spans = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      boolean isMachine = token.value().equals("machine") && i + 1 < tokens.size();
      if (!isMachine || !tokens.get(i + 1).value().equalsIgnoreCase(host)) {
        continue;
      }
      int end = text.length();
      for (int j = i + 2; j < tokens.size(); j++) {
        String value = tokens.get(j).value();
        if (value.equals("machine") || value.equals("default")) {
          end = tokens.get(j).start();
          break;
        }
      }
      spans.add(new int[] {token.start(), end});
    }
    return spans;
  }

  private record Token(String value, int start) {}

  /** Splits netrc text into words, honouring quotes, comments and macro bodies. */
  private static List<Token> tokens(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        int newline = text.indexOf('\n', i);
        i = newline < 0 ? text.length() : newline + 1;
      } else {
        int start = i;
        StringBuilder word = new StringBuilder();
        if (c == '"') {
          i++;
          while (i < text.length() && text.charAt(i) != '"') {
            if (text.charAt(i) == '\\' && i + 1 < text.length()) {
              i++;
            }
            word.append(text.charAt(i++));
          }
          i++;
        } else {
          while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
            word.append(text.charAt(i++));
          }
        }
        tokens.add(new Token(word.toString(), start));
        if (word.toString().equals("macdef")) {
          // A macro body runs from the next line to the first empty line; it is not tokens.
          int blank = text.indexOf("\n\n", i);
          i = blank < 0 ? text.length() : blank + 2;
        }
      }
    }
    return tokens;
  }

  private static String quote(String word) {
    boolean plain = !word.isEmpty() && word.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '\\')
        && word.charAt(0) != '#';
    if (plain) {
      return word;
    }
    return "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
