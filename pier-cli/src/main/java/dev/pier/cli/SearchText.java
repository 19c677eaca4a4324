package dev.pier.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code q} of a log search, built from the words the user typed: words are joined by spaces
 * (the API matches lines containing all of them), and an argument that holds spaces, such as
 * {@code "connection refused"} quoted in the shell, becomes a phrase in double quotes.
 *
 * @param q the query as the API takes it, never blank
 */
record SearchText(String q) {
  SearchText {
    if (q == null || q.isBlank()) {
      throw new IllegalArgumentException("empty search");
    }
  }

  /**
   * Builds the query from the command's arguments.
   *
   * @throws CliException when there is no text to search for
   */
  static SearchText of(List<String> words) {
    List<String> terms = new ArrayList<>();
    for (String word : words) {
      String term = word.strip();
      if (term.isEmpty()) {
        continue;
      }
      boolean quoted = term.length() > 1 && term.startsWith("\"") && term.endsWith("\"");
      if (!quoted && term.chars().anyMatch(Character::isWhitespace)) {
        term = "\"" + term.replace("\"", "") + "\"";
      }
      terms.add(term);
    }
    if (terms.isEmpty()) {
      throw new CliException("Give the text to search for, such as: pier logs:search timeout");
    }
    return new SearchText(String.join(" ", terms));
  }
}
