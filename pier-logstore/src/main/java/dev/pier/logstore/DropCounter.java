package dev.pier.logstore;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts, per app, the lines the store could not keep. Thread-safe and lock-free on the hot path. */
final class DropCounter {
  private final ConcurrentHashMap<String, LongAdder> byApp = new ConcurrentHashMap<>();

  void add(String app) {
    adder(app).increment();
  }

  void add(String app, long count) {
    adder(app).add(count);
  }

  private LongAdder adder(String app) {
    LongAdder adder = byApp.get(app);
    return adder != null ? adder : byApp.computeIfAbsent(app, a -> new LongAdder());
  }

  /** The counts since the previous call, apps with no drop left out; resets them. */
  Map<String, Long> take() {
    Map<String, Long> taken = new TreeMap<>();
    byApp.forEach(
        (app, adder) -> {
          long n = adder.sumThenReset();
          if (n > 0) taken.put(app, n);
        });
    return taken;
  }

  void forget(String app) {
    byApp.remove(app);
  }
}
