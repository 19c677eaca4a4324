package dev.pier.model;

/**
 * One instance that can take requests: {@code instance} is its name in logs ({@code web.1}),
 * {@code host}:{@code port} is where it listens.
 */
public record Backend(String instance, String host, int port) {
  public Backend {
    if (port <= 0 || port > 65535) throw new IllegalArgumentException("invalid port " + port);
  }
}
