package dev.pier.metrics;

/**
 * Responses counted by HTTP status class. {@code other} holds 1xx responses and anything outside
 * 100..599 (a router that reports 0 for a request it could not answer, for example).
 */
public record StatusCounts(long other, long s2xx, long s3xx, long s4xx, long s5xx) {
  /** No responses. */
  public static final StatusCounts NONE = new StatusCounts(0, 0, 0, 0, 0);

  public StatusCounts {
    if (other < 0 || s2xx < 0 || s3xx < 0 || s4xx < 0 || s5xx < 0) {
      throw new IllegalArgumentException("status counts must not be negative");
    }
  }

  /** Returns the sum of all classes. */
  public long total() {
    return other + s2xx + s3xx + s4xx + s5xx;
  }

  StatusCounts plus(StatusCounts o) {
    return new StatusCounts(
        other + o.other, s2xx + o.s2xx, s3xx + o.s3xx, s4xx + o.s4xx, s5xx + o.s5xx);
  }

  /** Maps a status code to its slot: 0 = other, 1 = 2xx ... 4 = 5xx. */
  static int slot(int status) {
    return status >= 200 && status <= 599 ? status / 100 - 1 : 0;
  }

  /** Label of a slot in the Prometheus exposition. */
  static String label(int slot) {
    return slot == 0 ? "other" : (slot + 1) + "xx";
  }

  static StatusCounts of(long[] bySlot) {
    return new StatusCounts(bySlot[0], bySlot[1], bySlot[2], bySlot[3], bySlot[4]);
  }

  long[] toSlots() {
    return new long[] {other, s2xx, s3xx, s4xx, s5xx};
  }
}
