/**
 * Request and instance metrics for Pier apps, in the spirit of Heroku Metrics and New Relic
 * transactions. {@link dev.pier.metrics.Metrics} is the only entry point; everything it returns is
 * an immutable record.
 *
 * <pre>
 *  router event loops ──recordRequest──▶ per app+version Recorder + adders ─┐
 *                     └─────────────────▶ per route 10-min buckets          │ tick() every 10 s
 *  instance sampler ───recordInstance──▶ latest sample per instance ────────┤
 *                                                                           ▼
 *            10 s windows (360, compressed histograms) ──roll up each minute──▶ 1 min windows (1440)
 *                     │                                                          │
 *                     └──────── series / summary / prometheus ◀──────────────────┘
 *                                          │ each minute and on close()
 *                                          ▼
 *                                 &lt;dir&gt;/&lt;app&gt;.metrics
 * </pre>
 *
 * <p>Latencies are milliseconds in HdrHistograms with 3 significant digits, clamped to 0..10 min.
 * Every percentile is read from a histogram merged over exactly the requested windows, never
 * averaged. Memory is bounded per app: fixed-size rings, at most {@value
 * dev.pier.metrics.Metrics#MAX_ROUTES} routes, stale instances and idle versions forgotten.
 */
package dev.pier.metrics;
