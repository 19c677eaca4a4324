package dev.pier.model;

import java.util.List;

/**
 * Response headers an app's own header rules (app.yaml {@code http_headers}, static.json {@code
 * headers}) may not set: the framing and hop-by-hop ones the router computes ({@code
 * Content-Length}, {@code Transfer-Encoding}, {@code Connection}, ...), whose change would desync
 * a kept-alive connection or lie about the body, and the router's own {@code X-Request-Id} and
 * {@code Via}. The build refuses them; the router skips them for slugs built before.
 */
public final class ReservedHeaders {
  /** The reserved names, besides any starting with {@code Proxy-}. */
  public static final List<String> NAMES = List.of("Content-Length", "Transfer-Encoding",
      "Connection", "Keep-Alive", "Upgrade", "TE", "Trailer", "Content-Range", "Content-Encoding",
      "X-Request-Id", "Via");

  private ReservedHeaders() {}

  /** True when {@code name} (any case) may not be set by an app's header rule. */
  public static boolean reserved(String name) {
    if (name.regionMatches(true, 0, "Proxy-", 0, 6)) return true;
    for (int i = 0; i < NAMES.size(); i++) {
      if (NAMES.get(i).equalsIgnoreCase(name)) return true;
    }
    return false;
  }
}
