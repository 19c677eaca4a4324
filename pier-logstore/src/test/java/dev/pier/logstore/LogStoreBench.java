package dev.pier.logstore;

import dev.pier.model.LogLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Measures ingestion of 1,000,000 lines and search latency over them.
 *
 * <p>Usage: {@code java -cp CLASSPATH dev.pier.logstore.LogStoreBench [lines] [dir]}; without a
 * dir it uses (and deletes) a temporary one.
 */
public final class LogStoreBench {
  private static final int APPS = 10;
  private static final int RUNS = 50;

  public static void main(String[] args) throws IOException, InterruptedException {
    long lines = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    boolean temporary = args.length < 2;
    Path dir = temporary ? Files.createTempDirectory("pier-logstore-bench") : Path.of(args[1]);
    Instant start = Instant.parse("2026-11-27T00:00:00Z");
    SampleLines sample = new SampleLines(start, APPS);
    String rareApp = SampleLines.app(7);
    warmUp(start);
    LogStoreOptions options = LogStoreOptions.DEFAULTS;
    if (Long.getLong("refreshMs") != null) {
      options = options.withRefreshInterval(java.time.Duration.ofMillis(Long.getLong("refreshMs")));
    }
    if (Long.getLong("commitMs") != null) {
      options = options.withCommitInterval(java.time.Duration.ofMillis(Long.getLong("commitMs")));
    }
    if (Long.getLong("searchRefreshMs") != null) {
      options = options.withSearchRefreshAge(java.time.Duration.ofMillis(Long.getLong("searchRefreshMs")));
    }
    if (Integer.getInteger("ramMb") != null) options = options.withRamBufferMb(Integer.getInteger("ramMb"));
    if (Integer.getInteger("writers") != null) options = options.withWriterThreads(Integer.getInteger("writers"));
    System.out.printf("options: %s%n", options);
    try (LogStore store = LogStore.open(dir, InstantSource.fixed(start.plusSeconds(3600)), options)) {
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      var threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpu0 = os.getProcessCpuTime();
      long main0 = threads.getCurrentThreadCpuTime();
      java.util.Map<String, Long> tasks0 = taskCpu();
      long gc0 = gcMillis();
      long jit0 = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
      long t0 = System.nanoTime();
      Probe probe = Boolean.getBoolean("probe") ? new Probe(store, SampleLines.app(3)) : null;
      sample.appendPaced(store, 0, lines);
      store.append(new LogLine(start.plusMillis(lines / 2), rareApp, "app", "web.3", "payment zebracorn failed"));
      store.flush();
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
      double mainSeconds = (threads.getCurrentThreadCpuTime() - main0) / 1e9;
      if (probe != null) probe.stop();
      printCpuByRole(tasks0, taskCpu(), cpuSeconds, lines + 1);
      System.out.printf("gc pauses+concurrent: %d ms, jit: %d ms%n", gcMillis() - gc0,
          java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0);
      printThreadCpu();
      long dropped = store.takeDropped().values().stream().mapToLong(Long::longValue).sum();
      System.out.printf("ingest: %,d lines in %.2f s = %,.0f lines/s (searchable), dropped %d%n",
          lines + 1, seconds, (lines + 1) / seconds, dropped);
      System.out.printf("ingest cpu: %.1f s of process CPU = %,.0f lines per CPU-second "
          + "(machine has %d cores; load average %.1f)%n", cpuSeconds, (lines + 1) / cpuSeconds,
          Runtime.getRuntime().availableProcessors(), os.getSystemLoadAverage());
      System.out.printf("store cpu: %.1f s per 1M lines (process CPU minus the generating main thread's %.1f s)%n",
          (cpuSeconds - mainSeconds) * 1e6 / (lines + 1), mainSeconds);
      long c0 = System.nanoTime();
      store.close();
      System.out.printf("close (final commit): %.0f ms%n", (System.nanoTime() - c0) / 1e6);
    }
    try (LogStore store = LogStore.open(dir, InstantSource.fixed(start.plusSeconds(3600)))) {
      System.out.printf("index size: %,d MB%n", size(dir) >> 20);
      String app = SampleLines.app(3);
      measure("rare term, limit 100", () -> store.search(LogQuery.of(rareApp, "zebracorn", 100)), 1);
      measure("common term 'GET', limit 100", () -> store.search(LogQuery.of(app, "get", 100)), 100);
      measure("common term 'GET', limit 1000", () -> store.search(LogQuery.of(app, "get", 1000)), 1000);
      measure("phrase \"TypeError: Cannot read\", limit 100",
          () -> store.search(LogQuery.of(app, "\"TypeError: Cannot read\"", 100)), 100);
      measure("words 'status=500 web.2', kind=router, limit 100",
          () -> store.search(new LogQuery(app, "status=500 web.2", null, "router", null, 100)), 100);
      measure("no text, instance=web.1, since last 10 min, limit 100",
          () -> store.search(new LogQuery(app, "", start.plusMillis(lines - 600_000), null, "web.1", 100)), 100);
      measure("recent(app, 1000)", () -> store.recent(app, 1000), 1000);
    } finally {
      if (temporary) delete(dir);
    }
  }

  /** Searches every 100 ms while lines stream in, as a user would, and reports the latencies. */
  private static final class Probe {
    private final Thread thread;
    private final List<Long> nanos = new java.util.ArrayList<>();
    private volatile boolean stop;

    Probe(LogStore store, String app) {
      thread = new Thread(() -> {
        while (!stop) {
          long t = System.nanoTime();
          store.search(LogQuery.of(app, "get", 100));
          nanos.add(System.nanoTime() - t);
          java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
        }
      }, "probe");
      thread.start();
    }

    void stop() throws InterruptedException {
      stop = true;
      thread.join();
      long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) return;
      System.out.printf("search during ingest ('get', limit 100, every 100 ms): n=%d median %.1f ms p99 %.1f ms max %.1f ms%n",
          sorted.length, sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
          sorted[sorted.length - 1] / 1e6);
    }
  }

  /**
   * Indexes lines (1,000,000, or {@code -Dwarmup=N}) into a throwaway store so the JIT has compiled
   * Lucene's hot paths; with fewer, C2 compilations still take a core during the measured run.
   */
  private static void warmUp(Instant start) throws IOException {
    Path warm = Files.createTempDirectory("pier-logstore-warmup");
    try (LogStore store = LogStore.open(warm, InstantSource.fixed(start))) {
      new SampleLines(start, APPS).appendPaced(store, 0, Long.getLong("warmup", 1_000_000));
      store.flush();
      for (int i = 0; i < 200; i++) store.search(LogQuery.of(SampleLines.app(i % APPS), "get", 100));
    } finally {
      delete(warm);
    }
  }

  private static void measure(String name, Supplier<List<LogLine>> search, int expected) {
    for (int i = 0; i < 10; i++) search.get();
    long[] nanos = new long[RUNS];
    int hits = 0;
    for (int i = 0; i < RUNS; i++) {
      long t = System.nanoTime();
      hits = search.get().size();
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    System.out.printf("search %-55s hits=%4d  median %6.2f ms  p99 %6.2f ms%n",
        name, hits, nanos[RUNS / 2] / 1e6, nanos[(int) Math.ceil(RUNS * 0.99) - 1] / 1e6);
    if (hits != expected) System.out.printf("  WARNING: expected %d hits%n", expected);
  }

  /** CPU seconds per live thread, so results can be judged on a machine shared with other work. */
  private static void printThreadCpu() {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    StringBuilder sb = new StringBuilder("thread cpu (s):");
    double total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long ns = mx.getThreadCpuTime(t.threadId());
      if (ns > 50_000_000) sb.append(String.format(" %s=%.1f", t.getName(), ns / 1e9));
      total += Math.max(0, ns) / 1e9;
    }
    System.out.println(sb.append(String.format(" (total live threads %.1f)", total)));
  }

  /** CPU nanoseconds of every live thread of this process, by "tid name", from /proc (Linux). */
  private static java.util.Map<String, Long> taskCpu() throws IOException {
    java.util.Map<String, Long> cpu = new java.util.HashMap<>();
    long tick = 10_000_000L; // USER_HZ = 100 on Linux
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String[] f = stat.substring(close + 2).split(" ");
        cpu.put(task.getFileName() + " " + stat.substring(open + 1, close), (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick);
      }
    }
    return cpu;
  }

  /** Splits the ingest CPU into roles; threads that ended meanwhile (merges) are the remainder. */
  private static void printCpuByRole(java.util.Map<String, Long> before, java.util.Map<String, Long> after,
      double cpuSeconds, long lines) {
    java.util.Map<String, Double> roles = new java.util.TreeMap<>();
    double live = 0;
    for (var e : after.entrySet()) {
      double s = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e9;
      String name = e.getKey().substring(e.getKey().indexOf(' ') + 1);
      String role = name.startsWith("pier-logstore-w") ? "writer"
          : name.startsWith("pier-logstore-b") ? "refresh+commit"
          : name.startsWith("Lucene Merge") ? "merge"
          : name.startsWith("C1 ") || name.startsWith("C2 ") ? "jit"
          : name.startsWith("GC ") || name.startsWith("G1 ") ? "gc"
          : name.equals("java") || name.equals("main") ? "main (generator)"
          : "other";
      roles.merge(role, s, Double::sum);
      live += s;
    }
    roles.merge("ended threads (merges)", Math.max(0, cpuSeconds - live), Double::sum);
    StringBuilder sb = new StringBuilder("cpu per 1M lines by role (s):");
    double store = 0;
    for (var e : roles.entrySet()) {
      double per = e.getValue() * 1e6 / lines;
      sb.append(String.format(" %s=%.2f", e.getKey(), per));
      if (!e.getKey().startsWith("main") && !e.getKey().equals("jit")) store += per;
    }
    System.out.println(sb);
    System.out.printf("store cpu excluding generator and jit: %.2f s per 1M lines%n", store);
  }

  private static long gcMillis() {
    long ms = 0;
    for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) ms += gc.getCollectionTime();
    return ms;
  }

  private static long size(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
