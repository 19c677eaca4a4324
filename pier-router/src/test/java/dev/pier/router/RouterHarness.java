package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A started router on 127.0.0.1:0 with short timeouts and a recording access log. */
final class RouterHarness implements AutoCloseable {
  static final RouterConfig FAST = new RouterConfig("127.0.0.1", 0,
      Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10));

  final RecordingAccessLog log = new RecordingAccessLog();
  final RouterServer router;

  RouterHarness() throws InterruptedException {
    this(FAST);
  }

  RouterHarness(RouterConfig config) throws InterruptedException {
    router = new RouterServer(config, log);
    router.start();
  }

  /** A router that tells {@code waker} about requests held for starting versions. */
  RouterHarness(RouterConfig config, Waker waker) throws InterruptedException {
    router = new RouterServer(config, log, new RoundRobin(), waker);
    router.start();
  }

  int port() {
    return router.port();
  }

  /** Replaces the whole route table. */
  void routes(Map<String, Route> byHost) {
    router.routes(new RouteTable(byHost));
  }

  /** Adds or replaces the route of one host, keeping the others. */
  void route(String host, String app, Backend... backends) {
    Map<String, Route> byHost = new HashMap<>(router.routes().byHost());
    byHost.put(host, new Route(app, List.of(backends)));
    routes(byHost);
  }

  /** Adds or replaces the route of one host, keeping the others. */
  void route(String host, Route route) {
    Map<String, Route> byHost = new HashMap<>(router.routes().byHost());
    byHost.put(host, route);
    routes(byHost);
  }

  /** Waits up to 5 s until the router counts {@code expected} requests in flight in total. */
  void awaitInFlight(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (router.inFlight() != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("in flight: " + router.inFlight() + ", expected " + expected);
      }
      Thread.sleep(5);
    }
  }

  /** Waits up to 5 s until the router holds {@code expected} requests for starting versions. */
  void awaitHeld(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (router.held() != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("held: " + router.held() + ", expected " + expected);
      }
      Thread.sleep(5);
    }
  }

  /**
   * Waits up to 5 s until {@code version} of {@code app} counts {@code expected} completed
   * requests (counted just after the last response byte went out, so a client may see its
   * response a moment before).
   */
  void awaitCompleted(String app, int version, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (router.load().version(app, version).completed() != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("completed: " + router.load().version(app, version).completed()
            + ", expected " + expected);
      }
      Thread.sleep(5);
    }
  }

  /** Waits up to 5 s until the router counts {@code expected} open client connections. */
  /** Waits until the router has refused {@code expected} connections in all; fails after 5 s. */
  void awaitRefused(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (router.refusedConnections() < expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("refused connections: " + router.refusedConnections()
            + ", expected " + expected);
      }
      Thread.sleep(5);
    }
  }

  void awaitClientConnections(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (router.clientConnections() != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("client connections: " + router.clientConnections()
            + ", expected " + expected);
      }
      Thread.sleep(5);
    }
  }

  /** Returns the in-flight count of {@code backend}. */
  int inFlight(Backend backend) {
    return router.inFlight(backend.host(), backend.port());
  }

  RawClient client() throws IOException {
    return new RawClient(port());
  }

  /** Returns a backend on a loopback port where nothing listens (connections are refused). */
  static Backend refusing(String name) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return new Backend(name, "127.0.0.1", port);
  }

  @Override
  public void close() {
    router.close();
  }
}
