/**
 * Autoscaling decisions, as pure functions: given a process type's {@link
 * dev.pier.autoscale.AutoscaleSpec}, a version's recent {@link dev.pier.autoscale.LoadSample}s in
 * a {@link dev.pier.autoscale.MetricWindow} and the {@link dev.pier.autoscale.State} of the last
 * call, {@link dev.pier.autoscale.Kpa} (Knative's KPA rules) returns a {@link
 * dev.pier.autoscale.Decision}: the count to run, stable or panic, and why in words. Nothing here
 * does I/O, starts threads or reads a clock; the caller (a reconciler loop) samples the router,
 * passes {@code now}, applies the count and keeps the state.
 *
 * <pre>
 *   router stats --LoadSample--> MetricWindow --+
 *   AutoscaleSpec (PUT /apps/A/autoscale/T) ----+--> Kpa.decide(.., State, current, now)
 *   State (previous Decision.next()) -----------+        |
 *                                                        v
 *                            Decision{desired, mode, reason, next} --> formation of the version
 * </pre>
 */
package dev.pier.autoscale;
