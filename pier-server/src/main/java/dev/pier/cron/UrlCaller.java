package dev.pier.cron;

/** Sends a URL job's {@code GET} to an app. Implementations are safe for concurrent use. */
public interface UrlCaller {
  /**
   * Sends {@code GET path} to the app (to version {@code target} when not null) marked as Pier's
   * own cron request, and returns the HTTP status.
   *
   * @throws java.io.IOException when no answer came (connection refused, reset, timeout)
   */
  int get(String app, Integer target, String path) throws java.io.IOException, InterruptedException;
}
