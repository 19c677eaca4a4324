package dev.pier.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The retained windows of one app: the last {@value #FINE_CAPACITY} windows of 10 s and the last
 * {@value #COARSE_CAPACITY} windows of 1 min, each with its derived {@link Point}. A minute is
 * rolled up from the 10 s windows that ended within it once a window ends at or after its end;
 * the minute window merges their histograms, so its percentiles are exact.
 *
 * <p>Thread-safe: one tick thread adds, any thread queries; both take this object's lock, which
 * the request hot path never touches.
 */
final class Series {
  static final Duration FINE = Duration.ofSeconds(10);
  static final Duration COARSE = Duration.ofMinutes(1);
  static final Duration FINE_SPAN = Duration.ofHours(1);
  static final int FINE_CAPACITY = 360;
  static final int COARSE_CAPACITY = 1440;

  private record Slot(Window window, Point point) {}

  private final ArrayDeque<Slot> fine = new ArrayDeque<>();
  private final ArrayDeque<Slot> coarse = new ArrayDeque<>();
  private Instant rolledUpTo;

  Series() {
    this(List.of(), List.of(), Instant.EPOCH);
  }

  /** Restores a series from persisted windows (oldest first). */
  Series(List<Window> fineWindows, List<Window> coarseWindows, Instant rolledUpTo) {
    for (Window w : fineWindows) append(fine, w, w.toPoint(FINE), FINE_CAPACITY);
    for (Window w : coarseWindows) append(coarse, w, w.toPoint(COARSE), COARSE_CAPACITY);
    this.rolledUpTo = rolledUpTo;
  }

  /**
   * Adds a closed 10 s window and rolls up every minute that is now complete.
   *
   * @return whether a minute was rolled up
   */
  synchronized boolean add(Window window, Point point) {
    append(fine, window, point, FINE_CAPACITY);
    return rollCompleteMinutes(window.end());
  }

  private static void append(ArrayDeque<Slot> ring, Window window, Point point, int capacity) {
    ring.addLast(new Slot(window, point));
    while (ring.size() > capacity) ring.removeFirst();
  }

  private boolean rollCompleteMinutes(Instant now) {
    List<Window> unrolled = new ArrayList<>();
    for (Iterator<Slot> it = fine.descendingIterator(); it.hasNext(); ) {
      Window w = it.next().window();
      if (!w.end().isAfter(rolledUpTo)) break;
      unrolled.add(0, w);
    }
    Instant current = minuteOf(now);
    boolean rolled = false;
    List<Window> group = new ArrayList<>();
    for (Window w : unrolled) {
      Instant minute = minuteOf(w.end());
      boolean complete = minute.isBefore(current) || now.equals(current);
      if (!complete) break;
      if (!group.isEmpty() && !minuteOf(group.get(0).end()).equals(minute)) {
        rollUp(group);
        rolled = true;
        group.clear();
      }
      group.add(w);
    }
    if (!group.isEmpty()) {
      rollUp(group);
      rolled = true;
    }
    return rolled;
  }

  /** The end of the minute a window ending at {@code end} belongs to. */
  static Instant minuteOf(Instant end) {
    Instant floor = end.truncatedTo(ChronoUnit.MINUTES);
    return floor.equals(end) ? end : floor.plus(COARSE);
  }

  private void rollUp(List<Window> windows) {
    Instant minute = minuteOf(windows.get(0).end());
    WindowMerger merger = new WindowMerger();
    windows.forEach(merger::add);
    append(coarse, merger.toWindow(minute), merger.toPoint(minute, COARSE), COARSE_CAPACITY);
    rolledUpTo = minute;
  }

  /** Points ending after {@code now - since}, oldest first, at the resolution {@code since} picks. */
  synchronized List<Point> points(Duration since, Instant now) {
    Instant from = now.minus(since);
    ArrayDeque<Slot> ring = since.compareTo(FINE_SPAN) <= 0 ? fine : coarse;
    List<Point> points = new ArrayList<>();
    for (Slot slot : ring) {
      if (slot.window().end().isAfter(from)) points.add(slot.point());
    }
    return points;
  }

  /**
   * Windows covering {@code (now - since, now]}: 10 s ones up to an hour, else the minutes plus the
   * 10 s windows of the minute not yet rolled up.
   */
  synchronized List<Window> windows(Duration since, Instant now) {
    Instant from = now.minus(since);
    List<Window> windows = new ArrayList<>();
    if (since.compareTo(FINE_SPAN) > 0) {
      for (Slot slot : coarse) {
        if (slot.window().end().isAfter(from)) windows.add(slot.window());
      }
      for (Slot slot : fine) {
        Instant end = slot.window().end();
        if (end.isAfter(rolledUpTo) && end.isAfter(from)) windows.add(slot.window());
      }
    } else {
      for (Slot slot : fine) {
        if (slot.window().end().isAfter(from)) windows.add(slot.window());
      }
    }
    return windows;
  }

  /** A consistent copy for persistence. */
  synchronized Snapshot snapshot() {
    return new Snapshot(
        fine.stream().map(Slot::window).toList(),
        coarse.stream().map(Slot::window).toList(),
        rolledUpTo);
  }

  record Snapshot(List<Window> fine, List<Window> coarse, Instant rolledUpTo) {}
}
