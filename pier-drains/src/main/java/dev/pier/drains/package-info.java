/**
 * Log drains: forwarding each app's log stream to the destinations its owner added with
 * {@code pier drains:add}, as Heroku does.
 *
 * <p>{@link dev.pier.drains.DrainUrl#parse} validates what the user typed
 * ({@code syslog+tcp://host:port}, {@code http(s)://[user:password@]host/path}).
 * {@link dev.pier.drains.Drain#open} starts one drain per (app, URL): a bounded queue and one
 * daemon thread. Lines go out as RFC 5424 syslog messages with RFC 6587 octet counting, over a
 * persistent TCP connection or POSTed in {@code application/logplex-1} batches.
 *
 * <pre>
 *  LogBus ─▶ Drain.accept ─▶ queue ─▶ drain thread ─▶ SyslogTcpTransport ─▶ syslog receiver
 *               │ (never blocks)          │         └▶ HttpTransport ─────▶ HTTPS endpoint
 *               ▼ full                    ▼ failures, drops
 *           dropped++ ──────────────▶ DropReporter ─▶ "N lines dropped by drain URL: reason"
 * </pre>
 *
 * <p>The rule that shapes the package: a slow, stalled or dead destination never blocks or slows
 * the caller of {@link dev.pier.drains.LogSink#accept} (the router's event loop, the readers of
 * instance output). Lines are dropped and counted instead, and the count is reported back to the
 * platform so the app's own log says so.
 */
package dev.pier.drains;
