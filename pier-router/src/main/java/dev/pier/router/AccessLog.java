package dev.pier.router;

/**
 * Receives one {@link AccessLogEntry} per request, after its response has completed (or failed).
 *
 * <p>Contract: {@link #log} is called on a Netty event loop thread, so it MUST NOT block (no file
 * or network I/O, no locks held for long); hand the entry to a queue instead. It MUST NOT throw;
 * exceptions are caught and dropped by the router. It may be called concurrently from several
 * event loops.
 */
@FunctionalInterface
public interface AccessLog {
  /** Discards every entry. */
  AccessLog NONE = entry -> {};

  void log(AccessLogEntry entry);
}
