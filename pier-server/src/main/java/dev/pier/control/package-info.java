/**
 * The control loop: what should run (desired state, kept in the store) is compared with what runs
 * (observed from the runtime backend and the router), and the difference is acted on.
 *
 * <pre>
 *   commands (deploy, scale, traffic, restart) --write--> store (running versions, formation, traffic)
 *                                                            |
 *   Reconciler loop (on change, on a tick) -- DesiredSource --+
 *        |  ObservedApp: RuntimeBackend.list + in flight per instance + its own drains
 *        v
 *   Planner.plan(desired, observed, now)  -- pure -->  Plan [Start slot | Drain id | Stop id]
 *        |
 *        v  apply: RuntimeBackend.start (via SpecSource), take out of routing, stop (async)
 *   commands wait for the result they need (Reconciler.await), never for a sleep
 * </pre>
 *
 * This package knows the runtime backend and nothing of the store, HTTP or the router: the
 * desired state, the instance specs and the in-flight counts come through small interfaces
 * ({@link dev.pier.control.DesiredSource}, {@link dev.pier.control.SpecSource}, {@link
 * dev.pier.control.LoadSource}).
 */
package dev.pier.control;
