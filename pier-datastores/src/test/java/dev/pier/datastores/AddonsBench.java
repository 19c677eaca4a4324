package dev.pier.datastores;

import dev.pier.datastores.run.Rss;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The add-on figures (bench/addons.sh): for each kind, create and first start times and the idle
 * memory of its server (cgroup RSS, and the summed RSS of its processes); for PostgreSQL also
 * pg_dump backup and pg_restore times for a database filled to {@code args[0]} MB. Run as root.
 */
public final class AddonsBench {
  private AddonsBench() {}

  public static void main(String[] args) throws Exception {
    int fillMb = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    if (!Sandbox.runningAsRoot()) throw new IllegalStateException("run as root (add-on servers run as their own uids)");
    Path base = TestHosts.base();
    Cgroups cgroups = Cgroups.detect("pier-bench-addons");
    List<Datastore> catalog = DatastoreCatalog.standard(Sandbox.system(), cgroups);
    List<String> rows = new ArrayList<>();
    try {
      for (Datastore store : catalog) {
        StoreSpec spec = TestHosts.spec(store, base, store.kind() + "-bench");
        long t0 = System.nanoTime();
        Credentials c = store.create(spec);
        long t1 = System.nanoTime();
        store.start(spec, c);
        long t2 = System.nanoTime();
        Thread.sleep(5000); // let it settle: the figure wanted is the idle one
        Status s = store.status(spec, c);
        long tree = treeRss(s.pid());
        rows.add(String.format(Locale.ROOT, "| %-9s | %-6s | %7.1f s | %7.1f s | %8.1f MiB | %8.1f MiB | %s |",
            store.kind(), spec.plan().name(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, s.memoryBytes() / 1048576.0,
            tree / 1048576.0, s.version()));
        if (store.kind().equals("postgres")) rows.add(postgresBackup(store, spec, c, fillMb, base));
        store.destroy(spec);
      }
    } finally {
      catalog.forEach(Datastore::close);
      TestHosts.deleteQuietly(base);
    }
    System.out.println("| kind      | plan   | create    | start     | idle (cgroup RSS) | idle (PSS of its processes) | version |");
    System.out.println("|---|---|---|---|---|---|---|");
    rows.stream().filter(r -> r.startsWith("|")).forEach(System.out::println);
    rows.stream().filter(r -> !r.startsWith("|")).forEach(System.out::println);
  }

  /**
   * Summed PSS (proportional set size: shared pages split between the processes sharing them) of
   * the server and every process under its sandbox's init, shared memory such as PostgreSQL's
   * buffers included.
   */
  private static long treeRss(long pid) {
    if (pid <= 0) return -1;
    ProcessHandle server = ProcessHandle.of(pid).orElse(null);
    if (server == null) return -1;
    ProcessHandle root = server.parent().orElse(server);
    long sum = pss(root.pid());
    for (ProcessHandle h : root.descendants().toList()) sum += pss(h.pid());
    return sum;
  }

  private static long pss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
        if (line.startsWith("Pss:")) return Long.parseLong(line.substring(4).trim().split("\\s+")[0]) * 1024;
      }
    } catch (java.io.IOException | RuntimeException e) {
      // Exited meanwhile.
    }
    return Rss.of(pid);
  }

  private static String postgresBackup(Datastore store, StoreSpec spec, Credentials c, int fillMb, Path base) throws Exception {
    long rowsWanted = fillMb * 1048576L / 300;
    long f0 = System.nanoTime();
    try (Connection db = DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + c.port() + "/" + c.path(), c.user(), c.password())) {
      db.createStatement().execute("CREATE TABLE fill AS SELECT g AS id, md5(random()::text) || md5(random()::text)"
          + " || md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text)"
          + " || md5(random()::text) || md5(random()::text) AS v FROM generate_series(1, " + rowsWanted + ") g");
    }
    long f1 = System.nanoTime();
    Status filled = store.status(spec, c);
    Path dump = base.resolve("bench.dump");
    long b0 = System.nanoTime();
    long size = store.backups().orElseThrow().capture(spec, c, dump);
    long b1 = System.nanoTime();
    store.backups().orElseThrow().restore(spec, c, dump);
    long b2 = System.nanoTime();
    Files.deleteIfExists(dump);
    return String.format(Locale.ROOT,
        "postgres backup: database %.0f MiB (filled in %.1f s), pg_dump -Fc %.1f s -> %.0f MiB, restore %.1f s",
        filled.dataBytes() / 1048576.0, (f1 - f0) / 1e9, (b1 - b0) / 1e9, size / 1048576.0, (b2 - b1) / 1e9);
  }
}
