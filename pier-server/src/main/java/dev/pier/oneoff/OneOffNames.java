package dev.pier.oneoff;

import java.util.Collection;

/** Numbers one-off processes per app and type: 1, 2, 3 …, never one still listed. */
final class OneOffNames {
  private OneOffNames() {}

  /**
   * The next number after {@code last} (the last one given out, 0 for none) that is above every
   * number {@code listed} (those of instances of the type still there): numbers are not reused
   * while a run of that name is listed, and count on after a restart from what is still there.
   */
  static int next(int last, Collection<Integer> listed) {
    int max = last;
    for (int n : listed) max = Math.max(max, n);
    return max + 1;
  }
}
