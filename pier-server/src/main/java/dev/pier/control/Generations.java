package dev.pier.control;

/**
 * Reads the generation out of an instance id ({@code web.1-g7} is generation 7; {@code web.1}
 * is 0): the reconciler gives every start a higher generation than the one before, so the
 * generation orders starts even where clocks do not.
 */
public final class Generations {
  private Generations() {}

  public static long of(String id) {
    int at = id.lastIndexOf("-g");
    if (at < 0) return 0;
    try {
      return Long.parseLong(id.substring(at + 2));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
