package dev.pier.build.python;

import java.util.List;

/** What a {@code requirements.txt} asks for, as far as the build needs to know. */
final class Requirements {
  private Requirements() {}

  /**
   * The lines that ask for something: not blank, not a {@code #} comment (inline comments cut),
   * line continuations joined.
   */
  static List<String> entries(String text) {
    String joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
    return joined.lines()
        .map(l -> l.replaceFirst("(^|\\s)#.*$", "").strip())
        .filter(l -> !l.isEmpty())
        .toList();
  }
}
