package dev.pier.metrics;

import java.util.List;

/** Writes the request and instance metric families of all apps (one family at a time). */
final class PrometheusExposition {
  private static final double[] QUANTILES = {0.5, 0.95, 0.99};

  private PrometheusExposition() {}

  static void write(PrometheusFormat out, List<AppMetrics> apps) {
    out.family("pier_http_requests_total", "counter",
        "Requests answered through the router, by app, release version and status class.");
    for (AppMetrics app : apps) {
      for (VersionTraffic v : app.versions()) {
        for (int slot = 0; slot < 5; slot++) {
          long count = v.statusTotal(slot);
          if (slot == 0 && count == 0) continue;
          out.sample("pier_http_requests_total", count,
              "app", app.app, "version", Integer.toString(v.version),
              "status", StatusCounts.label(slot));
        }
      }
    }
    out.family("pier_http_response_bytes_total", "counter",
        "Response body bytes sent through the router.");
    for (AppMetrics app : apps) {
      for (VersionTraffic v : app.versions()) {
        out.sample("pier_http_response_bytes_total", v.bytesTotal(),
            "app", app.app, "version", Integer.toString(v.version));
      }
    }
    writeDurations(out, apps);
    writeInstances(out, apps);
  }

  private static void writeDurations(PrometheusFormat out, List<AppMetrics> apps) {
    String name = "pier_http_request_duration_seconds";
    out.family(name, "summary",
        "Request service time; quantiles over the last 10 s window (NaN if it had no request).");
    for (AppMetrics app : apps) {
      for (VersionTraffic v : app.versions()) {
        String version = Integer.toString(v.version);
        Latency latency = v.lastWindowLatency();
        boolean empty = latency.equals(Latency.NONE);
        long[] ms = {latency.p50Ms(), latency.p95Ms(), latency.p99Ms()};
        for (int i = 0; i < QUANTILES.length; i++) {
          out.sample(name, empty ? Double.NaN : ms[i] / 1000.0,
              "app", app.app, "version", version,
              "quantile", PrometheusFormat.number(QUANTILES[i]));
        }
        out.sample(name + "_sum", v.secondsTotal(), "app", app.app, "version", version);
        out.sample(name + "_count", v.requestsTotal(), "app", app.app, "version", version);
      }
    }
  }

  private static void writeInstances(PrometheusFormat out, List<AppMetrics> apps) {
    out.family("pier_instance_memory_rss_bytes", "gauge",
        "Resident memory of an app instance at its latest sample.");
    for (AppMetrics app : apps) {
      for (InstanceSample s : app.instances()) {
        out.sample("pier_instance_memory_rss_bytes", s.rssBytes(),
            "app", app.app, "instance", s.instance(), "version", Integer.toString(s.version()));
      }
    }
    out.family("pier_instance_cpu_seconds_total", "counter",
        "CPU time used by an app instance since it started.");
    for (AppMetrics app : apps) {
      for (InstanceSample s : app.instances()) {
        out.sample("pier_instance_cpu_seconds_total", s.cpuNanosTotal() / 1e9,
            "app", app.app, "instance", s.instance());
      }
    }
    out.family("pier_instance_restarts_total", "counter",
        "Times an app instance was restarted after exiting.");
    for (AppMetrics app : apps) {
      for (InstanceSample s : app.instances()) {
        out.sample("pier_instance_restarts_total", s.restarts(),
            "app", app.app, "instance", s.instance());
      }
    }
  }
}
