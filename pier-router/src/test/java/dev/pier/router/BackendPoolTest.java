package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kept-alive connections to instances: reused across requests, never the cause of a failed
 * request when the instance closed them, and closed when idle or no longer routed to.
 */
class BackendPoolTest {
  private static final String HOST = "hello.localhost";

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private RouterHarness harness;

  @AfterEach
  void stop() throws Exception {
    if (harness != null) harness.close();
    for (AutoCloseable c : toClose) c.close();
  }

  private KeepAliveBackend backend(String name, KeepAliveBackend.Behaviour behaviour)
      throws Exception {
    KeepAliveBackend backend = new KeepAliveBackend(name, behaviour);
    toClose.add(backend);
    return backend;
  }

  private RouterHarness router(RouterConfig config) throws Exception {
    harness = new RouterHarness(config);
    return harness;
  }

  @Test
  void sequentialRequestsOfOneClientReuseOneInstanceConnection() throws Exception {
    KeepAliveBackend web1 = backend("web.1", KeepAliveBackend.Behaviour.NORMAL);
    router(RouterHarness.FAST).route(HOST, "hello", web1.backend());
    try (RawClient client = harness.client()) {
      for (int i = 0; i < 100; i++) {
        RawClient.Response response = client.get(HOST, "/");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("web.1\nconnection=-\n"); // no forced close
      }
    }
    assertThat(web1.accepted()).isEqualTo(1);
    assertThat(web1.requests()).isEqualTo(100);
    harness.log.next();
    assertThat(harness.log.next().connectMillis()).isZero(); // a reused connection
  }

  @Test
  void clientAskingToCloseDoesNotCloseTheInstanceConnection() throws Exception {
    KeepAliveBackend web1 = backend("web.1", KeepAliveBackend.Behaviour.NORMAL);
    router(RouterHarness.FAST).route(HOST, "hello", web1.backend());
    for (int i = 0; i < 5; i++) {
      try (RawClient client = harness.client()) {
        RawClient.Response response = client.get(HOST, "/", "Connection: close");
        assertThat(response.text()).isEqualTo("web.1\nconnection=-\n");
        assertThat(client.closedByPeer()).isTrue();
      }
    }
    // Five client connections may land on different event loops, each with its own pool.
    assertThat(web1.accepted()).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() * 2);
  }

  @Test
  void instanceClosingIdleConnectionsCausesNoFailedRequest() throws Exception {
    KeepAliveBackend web1 = backend("web.1", new KeepAliveBackend.Behaviour(200, false, 0));
    router(RouterHarness.FAST).route(HOST, "hello", web1.backend());
    try (RawClient client = harness.client()) {
      for (int i = 0; i < 4; i++) {
        assertThat(client.get(HOST, "/").status()).isEqualTo(200);
        assertThat(web1.awaitOpen(0, 10_000)).as("closed by the instance when idle").isTrue();
      }
    }
    assertThat(web1.accepted()).isEqualTo(4);
    for (int i = 0; i < 4; i++) assertThat(harness.log.next().error()).isNull();
  }

  @Test
  void requestOnAConnectionTheInstanceClosesUnansweredIsSentAgainOnANewOne() throws Exception {
    KeepAliveBackend web1 = backend("web.1", new KeepAliveBackend.Behaviour(0, false, 1));
    router(RouterHarness.FAST).route(HOST, "hello", web1.backend());
    try (RawClient client = harness.client()) {
      for (int i = 0; i < 10; i++) {
        RawClient.Response response = client.get(HOST, "/");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.instance()).isEqualTo("web.1");
      }
    }
    assertThat(web1.requests()).isEqualTo(10);
    assertThat(web1.accepted()).isEqualTo(10); // 9 stale reuses, each retried once
    for (int i = 0; i < 10; i++) assertThat(harness.log.next().status()).isEqualTo(200);
    harness.awaitInFlight(0);
  }

  @Test
  void requestWithABodyOverTheResendLimitAlwaysGetsANewConnection() throws Exception {
    KeepAliveBackend web1 = backend("web.1", KeepAliveBackend.Behaviour.NORMAL);
    router(RouterHarness.FAST).route(HOST, "hello", web1.backend());
    int length = (int) FrontendHandler.MAX_RETRYABLE_BODY + 1;
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").status()).isEqualTo(200); // leaves a pooled connection
      client.send("POST / HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: " + length
          + "\r\n\r\n" + "x".repeat(length));
      assertThat(client.readResponse().status()).isEqualTo(200);
    }
    assertThat(web1.accepted()).isEqualTo(2);
  }

  @Test
  void responseWithConnectionCloseIsNotReused() throws Exception {
    KeepAliveBackend web1 = backend("web.1", new KeepAliveBackend.Behaviour(0, true, 0));
    // A long pool idle timeout, so that only not pooling them can close the connections in time.
    router(RouterHarness.FAST.withBackendPool(Duration.ofSeconds(60), 64))
        .route(HOST, "hello", web1.backend());
    try (RawClient client = harness.client()) {
      for (int i = 0; i < 3; i++) {
        RawClient.Response response = client.get(HOST, "/");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Connection")).isNull(); // the client connection stays
      }
    }
    assertThat(web1.accepted()).isEqualTo(3);
    assertThat(web1.awaitOpen(0, 10_000)).as("router closed the instance connections").isTrue();
  }

  @Test
  void unusedConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    KeepAliveBackend web1 = backend("web.1", KeepAliveBackend.Behaviour.NORMAL);
    router(RouterHarness.FAST.withBackendPool(Duration.ofMillis(300), 64))
        .route(HOST, "hello", web1.backend());
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").status()).isEqualTo(200);
      long released = System.nanoTime();
      assertThat(web1.open()).isEqualTo(1);
      assertThat(web1.awaitOpen(0, 10_000)).as("closed by the router when idle").isTrue();
      assertThat(System.nanoTime() - released).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(250));

      assertThat(client.get(HOST, "/").status()).isEqualTo(200);
    }
    assertThat(web1.accepted()).isEqualTo(2);
  }

  @Test
  void unusedConnectionsOfAnInstanceRemovedFromTheRoutesAreClosed() throws Exception {
    KeepAliveBackend web1 = backend("web.1", KeepAliveBackend.Behaviour.NORMAL);
    KeepAliveBackend web2 = backend("web.2", KeepAliveBackend.Behaviour.NORMAL);
    router(RouterHarness.FAST.withBackendPool(Duration.ofSeconds(60), 64))
        .route(HOST, "hello", web1.backend());
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").instance()).isEqualTo("web.1");
      assertThat(web1.open()).isEqualTo(1);

      harness.route(HOST, "hello", web2.backend());
      assertThat(web1.awaitOpen(0, 10_000)).as("closed well before the 60 s idle timeout").isTrue();
      assertThat(client.get(HOST, "/").instance()).isEqualTo("web.2");
    }
  }

  @Test
  void instanceResettingItsConnectionsCausesNoFailedRequest() throws Exception {
    KeepAliveBackend web1 = backend("web.1", KeepAliveBackend.Behaviour.NORMAL);
    router(RouterHarness.FAST).route(HOST, "hello", web1.backend());
    try (RawClient client = harness.client()) {
      for (int i = 0; i < 20; i++) {
        assertThat(client.get(HOST, "/").status()).isEqualTo(200);
        web1.resetConnections(); // the pooled connection is dead when the next request comes
      }
    }
    assertThat(web1.accepted()).isEqualTo(20);
  }

  @Test
  void poolSizeZeroOpensAConnectionPerRequest() throws Exception {
    KeepAliveBackend web1 = backend("web.1", KeepAliveBackend.Behaviour.NORMAL);
    router(RouterHarness.FAST.withBackendPool(Duration.ofSeconds(4), 0))
        .route(HOST, "hello", web1.backend());
    try (RawClient client = harness.client()) {
      for (int i = 0; i < 5; i++) assertThat(client.get(HOST, "/").status()).isEqualTo(200);
    }
    assertThat(web1.accepted()).isEqualTo(5);
  }

  @Test
  void concurrentClientsThroughTwoInstancesAllSucceedOnFewConnections() throws Exception {
    KeepAliveBackend web1 = backend("web.1", KeepAliveBackend.Behaviour.NORMAL);
    KeepAliveBackend web2 = backend("web.2", KeepAliveBackend.Behaviour.NORMAL);
    router(RouterHarness.FAST).route(HOST, "hello", web1.backend(), web2.backend());
    int clients = 32;
    int requestsEach = 200;
    AtomicInteger ok = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        done.add(pool.submit(() -> {
          try (RawClient client = harness.client()) {
            for (int i = 0; i < requestsEach; i++) {
              if (client.get(HOST, "/").status() == 200) ok.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
    }
    assertThat(ok.get()).isEqualTo(clients * requestsEach);
    assertThat(web1.requests() + web2.requests()).isEqualTo(clients * requestsEach);
    // At most one connection per concurrent request, instead of one per request.
    assertThat(web1.accepted() + web2.accepted()).isLessThanOrEqualTo(2 * clients);
    harness.awaitInFlight(0);
  }
}
