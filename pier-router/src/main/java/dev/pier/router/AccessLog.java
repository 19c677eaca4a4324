package dev.pier.router;

/**
 * Receives one {@link AccessLogEntry} per request, after its response has completed (or failed).
 *
 * <p>Contract: {@link #log} is called on one dedicated router thread, never on an event loop, one
 * entry at a time in the order the exchanges ended; so a slow or stuck implementation delays only
 * the access log, never a request. It should still be quick: while it falls more than a few
 * thousand entries behind, further entries are dropped (with a warning naming where it is
 * stuck). It MUST NOT throw; exceptions are logged and dropped by the router.
 */
@FunctionalInterface
public interface AccessLog {
  /** Discards every entry. */
  AccessLog NONE = entry -> {};

  void log(AccessLogEntry entry);

  /**
   * Told, on the same thread as {@link #log}, that {@code count} entries of {@code app} were
   * dropped since the previous call for that app because the access log fell behind; so the
   * control plane can say so in the app's log stream. Called about once a second at most per app,
   * once the queue has room again. Entries without an app are counted in the total only.
   */
  default void dropped(String app, long count) {}
}
