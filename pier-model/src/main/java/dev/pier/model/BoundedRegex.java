package dev.pier.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches an app's own regular expressions (app.yaml handler {@code url} and {@code upload}) with
 * a bound on the work: the input is read through a {@link CharSequence} that counts character
 * reads and gives up after {@link #MAX_READS}, so a pattern that backtracks catastrophically costs
 * at most a millisecond or so instead of seconds on the router's event loop. Inputs longer than
 * {@link #MAX_INPUT} characters are not matched at all.
 */
public final class BoundedRegex {
  /** The most character reads one match may take. */
  public static final int MAX_READS = 200_000;
  /** The longest input matched; a longer one matches nothing. */
  public static final int MAX_INPUT = 2048;

  private BoundedRegex() {}

  /** Thrown when a match took more than {@link #MAX_READS} character reads. */
  public static final class OverBudget extends RuntimeException {
    private static final OverBudget INSTANCE = new OverBudget();

    private OverBudget() {
      super("regular expression over its matching budget", null, false, false);
    }
  }

  /**
   * A matcher of {@code pattern} that matched all of {@code input}, or null when it does not.
   *
   * @throws OverBudget when matching took too long (the caller treats it as no match)
   */
  public static Matcher matches(Pattern pattern, String input) {
    if (input.length() > MAX_INPUT) return null;
    Matcher m = pattern.matcher(new Counted(input));
    return m.matches() ? m : null;
  }

  /** The input, counting reads; sub-sequences (groups) come from the plain string. */
  private static final class Counted implements CharSequence {
    private final String text;
    private int reads;

    Counted(String text) {
      this.text = text;
    }

    @Override
    public char charAt(int index) {
      if (++reads > MAX_READS) throw OverBudget.INSTANCE;
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
