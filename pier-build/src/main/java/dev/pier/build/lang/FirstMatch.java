package dev.pier.build.lang;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Passes a step's output lines on and remembers the first one that matches, so that a failure
 * reason can quote the line that says why (a compiler error, a missing package) rather than only
 * the exit code. Lines arrive from one thread at a time.
 */
public final class FirstMatch implements Consumer<String> {
  private final Predicate<String> matches;
  private final Consumer<String> next;
  private volatile String first;

  public FirstMatch(Predicate<String> matches, Consumer<String> next) {
    this.matches = matches;
    this.next = next;
  }

  @Override
  public void accept(String line) {
    if (first == null && matches.test(line)) first = line;
    next.accept(line);
  }

  /** The first matching line, stripped, or null when none matched. */
  public String first() {
    return first == null ? null : first.strip();
  }

  /** {@code "LABEL failed (exit code N): LINE"}, or without the line when none matched. */
  public String failure(String label, int code) {
    String line = first();
    return label + " failed (exit code " + code + ")" + (line == null ? "" : ": " + line);
  }
}
