package dev.pier.logstore;

import dev.pier.model.LogLine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What one router access line costs the log store: CPU (whole process, writer threads included)
 * and bytes on disk per line, stored as before (a full-text Lucene document: the same line under
 * another process name) and as now ({@code pier[router]}, {@link RouterLineStore}); then the time
 * of a request-id lookup in each (the best of 10). Run by bench/router-lines.sh.
 */
public final class RouterLinesBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    for (int warm = 0; warm < 2; warm++) {
      boolean last = warm == 1;
      int lines = last ? n : n / 5;
      Result lucene = run("lucene-doc", "web-router", lines, t0);
      Result segments = run("segments", "router", lines, t0);
      if (last) {
        System.out.printf("%,d router lines (%s)%n", lines, "request_id a random UUID, as the router makes");
        System.out.printf("%-12s %14s %14s %18s%n", "stored as", "CPU us/line", "bytes/line", "id lookup ms");
        for (Result r : new Result[] {lucene, segments}) {
          System.out.printf("%-12s %14.2f %14.1f %18.1f%n", r.name, r.cpuMicrosPerLine, r.bytesPerLine, r.lookupMillis);
        }
      }
    }
  }

  record Result(String name, double cpuMicrosPerLine, double bytesPerLine, double lookupMillis) {}

  static Result run(String name, String process, int n, Instant t0) throws IOException {
    Path dir = Files.createTempDirectory("router-lines-bench");
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) ids[i] = UUID.randomUUID().toString();
    System.gc();
    long cpu0 = os.getProcessCpuTime();
    double lookup;
    try (LogStore store = LogStore.open(dir, InstantSource.fixed(t0.plusSeconds(n / 1000 + 60)))) {
      for (int i = 0; i < n; i++) {
        while (store.queued() > 50_000) Thread.onSpinWait();
        store.append(new LogLine(t0.plusNanos(i * 1_000_000L), "shop", "pier", process,
            "at=info method=GET path=\"/items/" + (i % 500) + "\" host=shop.localhost request_id=" + ids[i]
                + " fwd=\"127.0.0.1\" dyno=web." + (1 + i % 2) + " version=v3 connect=0ms service="
                + (i % 17) + "ms status=" + (i % 50 == 0 ? 500 : 200) + " bytes=" + (2 + i % 100)));
      }
      store.flush();
      store.commit();
      long cpu1 = os.getProcessCpuTime();
      lookup = Double.MAX_VALUE; // the best of 10 lookups of different ids (the first runs cold)
      for (int k = 1; k <= 10; k++) {
        long s = System.nanoTime();
        int found = store.search(LogQuery.of("shop", ids[n * k / 11], 10)).size();
        lookup = Math.min(lookup, (System.nanoTime() - s) / 1e6);
        if (found != 1) throw new IllegalStateException(name + ": lookup found " + found);
      }
      double cpuPerLine = (cpu1 - cpu0) / 1e3 / n;
      store.close();
      long bytes;
      try (Stream<Path> files = Files.walk(dir)) {
        bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
      return new Result(name, cpuPerLine, (double) bytes / n, lookup);
    }
  }
}
