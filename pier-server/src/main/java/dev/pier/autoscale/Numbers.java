package dev.pier.autoscale;

import java.math.BigDecimal;

/** Numbers as people write them in messages: {@code 20}, {@code -3}, {@code 0.5}, never {@code 20.0}. */
final class Numbers {
  private Numbers() {}

  /** Returns {@code value} without a trailing {@code .0} or exponent. */
  static String plain(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** Returns {@code ceil(value)} tolerant of floating-point noise: 2.0000000001 counts as 2. */
  static int ceil(double value) {
    double ceiled = Math.ceil(value - 1e-9);
    return ceiled >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, ceiled);
  }
}
