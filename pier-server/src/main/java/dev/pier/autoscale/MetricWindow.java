package dev.pier.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * The recent load samples of one version, kept for {@code retention} (the stable window), with
 * the averages the decider reads and the time of the last request, which it keeps for longer.
 *
 * <p>An average over a window is the plain mean of the samples whose {@code at} lies in
 * {@code (now - window, now]}: samples are expected at a steady interval (the router's), each
 * already an average over its own period. Not thread-safe: one reconciler owns each window.
 */
public final class MetricWindow {
  private final Duration retention;
  private final Deque<LoadSample> samples = new ArrayDeque<>();
  private Instant observedSince;
  private Instant lastRequestAt;

  /** A window keeping samples for {@code retention}, normally the spec's stable window. */
  public MetricWindow(Duration retention) {
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive: " + retention);
    }
    this.retention = retention;
  }

  /** A window that keeps what {@code spec}'s stable window needs. */
  public static MetricWindow forSpec(AutoscaleSpec spec) {
    return new MetricWindow(spec.stableWindow());
  }

  /**
   * Adds the newest sample and forgets those older than the retention before it.
   *
   * @throws IllegalArgumentException when {@code sample} is older than the newest one held
   */
  public void add(LoadSample sample) {
    if (!samples.isEmpty() && sample.at().isBefore(samples.getLast().at())) {
      throw new IllegalArgumentException("sample at " + sample.at() + " is older than the last one, at "
          + samples.getLast().at());
    }
    samples.addLast(sample);
    if (observedSince == null) {
      observedSince = sample.at();
    }
    if (sample.sawRequests()) {
      lastRequestAt = sample.at();
    }
    Instant oldest = sample.at().minus(retention);
    while (!samples.getFirst().at().isAfter(oldest)) {
      samples.removeFirst();
    }
  }

  /** Returns the averages of the samples in {@code (now - window, now]}, or empty when there are none. */
  public Optional<Average> average(Duration window, Instant now) {
    Instant from = now.minus(window);
    double concurrency = 0;
    double rps = 0;
    double cpu = 0;
    double ready = 0;
    int count = 0;
    for (Iterator<LoadSample> it = samples.descendingIterator(); it.hasNext(); ) {
      LoadSample sample = it.next();
      if (!sample.at().isAfter(from)) {
        break;
      }
      if (sample.at().isAfter(now)) {
        continue;
      }
      concurrency += sample.concurrency();
      rps += sample.rps();
      cpu += sample.cpu();
      ready += sample.readyInstances();
      count++;
    }
    if (count == 0) {
      return Optional.empty();
    }
    return Optional.of(new Average(concurrency / count, rps / count, cpu / count, ready / count, count));
  }

  /** Returns the newest sample, or empty before the first. */
  public Optional<LoadSample> latest() {
    return Optional.ofNullable(samples.peekLast());
  }

  /** Returns the time of the first sample this window was given, or empty before the first. */
  public Optional<Instant> observedSince() {
    return Optional.ofNullable(observedSince);
  }

  /** Returns the time of the newest sample that saw a request, even one older than the retention. */
  public Optional<Instant> lastRequestAt() {
    return Optional.ofNullable(lastRequestAt);
  }

  /**
   * Returns since when no request has been seen: the last sample that saw one, or the first
   * sample when none did. Empty before the first sample: nothing is known to be idle.
   */
  public Optional<Instant> quietSince() {
    return lastRequestAt != null ? Optional.of(lastRequestAt) : observedSince();
  }

  /**
   * Averages of a version's load totals over a window.
   *
   * @param readyInstances the mean number of ready instances over the window
   * @param samples how many samples were averaged, at least 1
   */
  public record Average(double concurrency, double rps, double cpu, double readyInstances, int samples) {
    /** Returns the average total of {@code metric}. */
    public double value(Metric metric) {
      return switch (metric) {
        case CONCURRENCY -> concurrency;
        case RPS -> rps;
        case CPU -> cpu;
      };
    }
  }
}
