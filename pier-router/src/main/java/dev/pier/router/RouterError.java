package dev.pier.router;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why the router, not the app, decided a request's outcome. Router-made responses carry the
 * {@link #headerValue()} in the {@code X-Router-Error} header so operators can tell router failures
 * from app failures; access log lines carry it as {@code code=} with the {@link #description()}.
 */
public enum RouterError {
  BAD_REQUEST(400, "bad_request", "Bad request",
      "The request could not be understood: the request line or headers are malformed, or the"
          + " Host header is missing or given twice."),
  /** The request line (method, target, version) is longer than the router reads. */
  URI_TOO_LONG(414, "uri_too_long", "URI too long",
      "The request line is longer than the router accepts (8 KiB)."),
  /** The request's header fields together are larger than the router reads. */
  HEADERS_TOO_LARGE(431, "headers_too_large", "Request header fields too large",
      "The request headers are larger than the router accepts (8 KiB in total)."),
  /** The request body is larger than the app accepts ({@link dev.pier.model.RouteLimits}). */
  BODY_TOO_LARGE(413, "body_too_large", "Request body too large",
      "The request body is larger than this app accepts."),
  /** The request line and headers did not all arrive within the head deadline. */
  HEAD_TIMEOUT(408, "head_timeout", "Request timeout",
      "The request line and headers did not arrive in time."),
  /** The client's address holds as many connections as the router allows one address. */
  TOO_MANY_CONNECTIONS(429, "too_many_connections", "Too many connections",
      "Your address has too many connections open to this router."),
  /** The router holds as many client connections as it allows in total. */
  ROUTER_FULL(503, "router_full", "Router at capacity",
      "The router has too many connections open. Try again shortly."),
  /** The app is https-only ({@link dev.pier.model.RouteHttps}): 308 to its HTTPS URL. */
  HTTPS_REDIRECT(308, "https_redirect", "Permanent redirect",
      "This app is served over HTTPS only: use the https:// address."),
  NO_SUCH_APP(404, "no_such_app", "No such app",
      "There is no app configured at that hostname."),
  NO_INSTANCES(503, "no_instances", "No web processes running",
      "The app has no running web instances. Scale it up or check its logs."),
  /**
   * The version the request was for was starting or asleep, and no instance of it became ready
   * within the hold timeout ({@link HoldLimits#timeout()}).
   */
  START_TIMEOUT(503, "start_timeout", "App did not start in time",
      "The app was starting (or waking up) and did not become ready in time. Try again shortly."),
  /**
   * The version the request was for was starting or asleep, and as many of the app's requests as
   * the router holds ({@link HoldLimits#maxPerApp()}) were already waiting for it.
   */
  HOLD_QUEUE_FULL(503, "hold_queue_full", "Too many requests waiting",
      "The app is starting and too many requests are already waiting for it. Try again shortly."),
  /** The app is in maintenance mode: the router answers with its maintenance page. */
  MAINTENANCE(503, "maintenance", "Offline for maintenance",
      "The app is offline for maintenance. Try again shortly."),
  CONNECT_FAILED(502, "connect_failed", "Backend connection failed",
      "The app's instances refused or did not accept the connection."),
  BACKEND_CLOSED(502, "backend_closed", "Connection closed without response",
      "The app closed the connection before sending a complete response."),
  INVALID_RESPONSE(502, "invalid_response", "Invalid response from app",
      "The app sent a response the router could not parse."),
  RESPONSE_TIMEOUT(504, "response_timeout", "Request timeout",
      "The app did not start its response in time."),
  /** Nothing moved either way on the client connection for the idle timeout mid-exchange. */
  IDLE_TIMEOUT(408, "idle_timeout", "Idle connection",
      "No data moved on the connection for too long."),
  /** The client went away before the response completed; only logged, never sent. */
  CLIENT_CLOSED(499, "client_closed", "Client request interrupted",
      "The client closed the connection before the response completed.");

  private final HttpResponseStatus status;
  private final String headerValue;
  private final String description;
  private final String explanation;

  RouterError(int status, String headerValue, String description, String explanation) {
    this.status = HttpResponseStatus.valueOf(status);
    this.headerValue = headerValue;
    this.description = description;
    this.explanation = explanation;
  }

  /** Returns the HTTP status of the error page. */
  public HttpResponseStatus status() {
    return status;
  }

  /** Returns the value of the {@code X-Router-Error} header, for example {@code no_such_app}. */
  public String headerValue() {
    return headerValue;
  }

  /** Returns a short human description, used as title of the page and {@code desc=} in logs. */
  public String description() {
    return description;
  }

  /** Returns one sentence for the error page telling the user what happened. */
  public String explanation() {
    return explanation;
  }
}
