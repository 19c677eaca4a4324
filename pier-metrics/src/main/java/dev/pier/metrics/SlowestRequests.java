package dev.pier.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@value #SIZE} slowest requests offered so far. A volatile threshold lets the hot path
 * reject the common case (not among the slowest) without locking; only a request that qualifies
 * takes this object's lock, which happens a handful of times per bucket once it has filled.
 */
final class SlowestRequests {
  static final int SIZE = 5;
  private static final int MAX_PATH = 200;

  private final long[] ms = new long[SIZE];
  private final String[] paths = new String[SIZE];
  private final int[] statuses = new int[SIZE];
  private final long[] times = new long[SIZE];
  private int size;
  /** A request must be slower than this to enter; -1 until the list is full. */
  private volatile long threshold = -1;

  boolean qualifies(long serviceMillis) {
    return serviceMillis > threshold;
  }

  synchronized void offer(String path, long serviceMillis, int status, long epochMillis) {
    if (serviceMillis <= threshold) return;
    int slot;
    if (size < SIZE) {
      slot = size++;
    } else {
      slot = 0;
      for (int i = 1; i < SIZE; i++) if (ms[i] < ms[slot]) slot = i;
    }
    ms[slot] = serviceMillis;
    paths[slot] = withoutQuery(path);
    statuses[slot] = status;
    times[slot] = epochMillis;
    if (size == SIZE) {
      long min = Long.MAX_VALUE;
      for (long m : ms) min = Math.min(min, m);
      threshold = min;
    }
  }

  synchronized void addTo(List<SlowRequest> into) {
    for (int i = 0; i < size; i++) {
      into.add(new SlowRequest(paths[i], ms[i], statuses[i], Instant.ofEpochMilli(times[i])));
    }
  }

  /** The slowest {@value #SIZE} of several lists, slowest first, newest first on ties. */
  static List<SlowRequest> merge(List<SlowestRequests> lists) {
    List<SlowRequest> all = new ArrayList<>();
    for (SlowestRequests list : lists) list.addTo(all);
    all.sort(
        Comparator.comparingLong(SlowRequest::ms)
            .thenComparing(SlowRequest::time)
            .reversed());
    return all.size() > SIZE ? List.copyOf(all.subList(0, SIZE)) : all;
  }

  private static String withoutQuery(String path) {
    if (path == null) return "";
    int end = path.length();
    int q = path.indexOf('?');
    if (q >= 0) end = q;
    int hash = path.indexOf('#');
    if (hash >= 0 && hash < end) end = hash;
    return path.substring(0, Math.min(end, MAX_PATH));
  }
}
