package dev.pier.router;

/**
 * What happened to one request, for logs and metrics.
 *
 * @param app the app's name, or null when no route matched (the control plane drops those)
 * @param method request method, for example {@code GET} (null if the request line was unreadable)
 * @param path request target as sent by the client
 * @param host Host header as sent by the client (may be null)
 * @param requestId the {@code X-Request-Id} sent to the instance and back to the client
 * @param forwardedFor the {@code X-Forwarded-For} value sent to the instance
 * @param instance the instance that served the request, for example {@code web.1}, or null
 * @param version the number of the app version that served the request, or 0 if unknown or none
 * @param connectMillis time to open the connection to the instance (0 if none was opened)
 * @param serviceMillis time from receiving the request to writing the last response byte (for an
 *     upgraded connection, to the {@code 101}: the entry is made then, not when it closes)
 * @param status HTTP status sent to the client (499 if the client left before any status; 101
 *     for a WebSocket or other upgraded connection)
 * @param bytes response body bytes sent to the client (0 for an upgraded connection)
 * @param error why the router decided the outcome, or null for a normal proxied response
 * @param heldMillis how long the request waited for an instance of a version that was starting
 *     or asleep (0 if it did not wait); included in {@code serviceMillis}
 */
public record AccessLogEntry(
    String app,
    String method,
    String path,
    String host,
    String requestId,
    String forwardedFor,
    String instance,
    int version,
    long connectMillis,
    long serviceMillis,
    int status,
    long bytes,
    RouterError error,
    long heldMillis) {

  public AccessLogEntry {
    if (version < 0 || connectMillis < 0 || serviceMillis < 0 || bytes < 0 || heldMillis < 0) {
      throw new IllegalArgumentException("version, durations and byte counts must be >= 0");
    }
  }

  /** An entry for a request that was not held ({@code heldMillis} 0). */
  public AccessLogEntry(String app, String method, String path, String host, String requestId,
      String forwardedFor, String instance, int version, long connectMillis, long serviceMillis,
      int status, long bytes, RouterError error) {
    this(app, method, path, host, requestId, forwardedFor, instance, version, connectMillis,
        serviceMillis, status, bytes, error, 0);
  }

  /**
   * Formats the entry as a Heroku router log line, for example:
   *
   * <pre>
   * at=info method=GET path="/" host=hello.localhost request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="127.0.0.1" dyno=web.1 version=v2 connect=1ms service=18ms status=200 bytes=975
   * at=error code=no_such_app desc="No such app" method=GET path="/" host=nope.localhost ...
   * </pre>
   *
   * {@code version=} appears only when the version is known (above 0), and {@code held=} (as in
   * {@code held=2300ms}, before {@code connect=}) only for a request that waited for its version
   * to start. Quoted values have {@code
   * "} and {@code \} escaped; control characters and, in unquoted values, spaces are replaced so
   * one entry is always one line of {@code key=value} pairs.
   */
  public String format() {
    StringBuilder sb = new StringBuilder(200);
    if (error == null) {
      sb.append("at=info");
    } else {
      sb.append("at=error code=").append(error.headerValue());
      sb.append(" desc=").append(quoted(error.description()));
    }
    sb.append(" method=").append(bare(method));
    sb.append(" path=").append(quoted(path));
    sb.append(" host=").append(bare(host));
    sb.append(" request_id=").append(bare(requestId));
    sb.append(" fwd=").append(quoted(forwardedFor));
    sb.append(" dyno=").append(bare(instance));
    if (version > 0) sb.append(" version=v").append(version);
    if (heldMillis > 0) sb.append(" held=").append(heldMillis).append("ms");
    sb.append(" connect=").append(connectMillis).append("ms");
    sb.append(" service=").append(serviceMillis).append("ms");
    sb.append(" status=").append(status);
    sb.append(" bytes=").append(bytes);
    return sb.toString();
  }

  private static String quoted(String value) {
    StringBuilder sb = new StringBuilder("\"");
    if (value != null) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '"' || c == '\\') sb.append('\\').append(c);
        else if (c < 0x20 || c == 0x7f) sb.append('?');
        else sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  private static String bare(String value) {
    if (value == null) return "";
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      sb.append(c <= 0x20 || c == 0x7f || c == '"' ? '?' : c);
    }
    return sb.toString();
  }
}
