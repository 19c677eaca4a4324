package dev.pier.server;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.logs.LogBus;
import dev.pier.logstore.LogStore;
import dev.pier.metrics.Metrics;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.ResourceUsage;
import dev.pier.runtime.RuntimeBackend;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic work: every 10 s, samples memory and CPU of every instance and closes the metrics
 * window; every minute, applies log retention and reports lines the log store had to drop.
 * A failing round is logged and the next one runs anyway.
 */
public final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  private final AppService apps;
  private final RuntimeBackend runtime;
  private final Metrics metrics;
  private final LogStore store;
  private final LogBus logs;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("pier-housekeeping").unstarted(r));

  public Housekeeping(AppService apps, RuntimeBackend runtime, Metrics metrics, LogStore store, LogBus logs) {
    this.apps = apps;
    this.runtime = runtime;
    this.metrics = metrics;
    this.store = store;
    this.logs = logs;
  }

  public void start() {
    timer.scheduleAtFixedRate(() -> guarded("metrics", this::sample), 10, 10, TimeUnit.SECONDS);
    timer.scheduleAtFixedRate(() -> guarded("log retention", this::logs), 60, 60, TimeUnit.SECONDS);
  }

  /** Samples instances and closes the metrics window (public for tests). */
  public void sample() {
    for (App app : apps.list()) {
      String name = app.name().value();
      for (InstanceStatus s : runtime.list(name)) {
        ResourceUsage usage = runtime.usage(name, s.id()).orElse(null);
        if (usage != null) {
          metrics.recordInstance(name, s.name(), s.release(), usage.rssBytes(), usage.cpuNanos(), s.restarts());
        }
      }
    }
    metrics.tick();
  }

  private void logs() {
    store.purgeExpired();
    for (Map.Entry<String, Long> e : store.takeDropped().entrySet()) {
      logs.platform(e.getKey(), "logs", e.getValue() + " lines were not stored: the log store could not keep up");
    }
  }

  private static void guarded(String what, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.error("{} round failed", what, e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
