package dev.pier.deploy;

/**
 * Tells how many requests the router is still serving through one instance, so the instance is
 * stopped only once they are done. Must be cheap and thread-safe.
 */
@FunctionalInterface
public interface Drainer {
  Drainer NONE = (host, port) -> 0;

  int inFlight(String host, int port);
}
