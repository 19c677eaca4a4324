package dev.pier.drains;

/**
 * Told how many lines a drain dropped, so the platform can say so in the app's own log stream.
 *
 * <p>Called from a thread owned by the drain, never from the thread that called
 * {@link LogSink#accept}: while lines are being dropped, about once per second with one call per
 * reason (the first about a second after the first drop), plus once when the drain closes. The counts of all calls for one drain add up to {@link DrainStats#dropped()}.
 * Implementations must be quick and must not call back into the drain's {@code accept}; an
 * exception thrown here is logged and ignored.
 */
@FunctionalInterface
public interface DropReporter {
  /** A reporter that ignores drops. */
  DropReporter NONE = (app, url, count, reason) -> {};

  /**
   * Reports {@code count} lines dropped since the previous report for the same reason.
   *
   * @param app the app whose lines were dropped
   * @param url the drain URL with any password replaced by {@code ***}
   * @param count how many lines, always positive
   * @param reason why, e.g. {@code queue full (destination down: connection refused)}
   */
  void dropped(String app, String url, long count, String reason);
}
