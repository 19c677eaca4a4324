package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests with a small body on kept-alive instance connections: idempotent ones (PUT here) reuse
 * pooled connections and are sent again whole, exactly once, when the instance closed the
 * connection unanswered; a POST never goes on a pooled connection and is never sent twice.
 * Every test runs with Netty's paranoid leak detector and checks no buffer leaked.
 */
class PooledBodyTest {
  private static final String HOST = "hello.localhost";

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private RouterHarness harness;
  private int leaksBefore;

  @BeforeAll
  static void watchLeaks() {
    LeakWatch.install();
  }

  @BeforeEach
  void baseline() throws InterruptedException {
    leaksBefore = LeakWatch.leaksAfterGc();
  }

  @AfterEach
  void stop() throws Exception {
    if (harness != null) harness.close();
    for (AutoCloseable c : toClose) c.close();
    assertThat(LeakWatch.leaksAfterGc() - leaksBefore).as("leaked buffers").isZero();
  }

  private EchoBackend backend(EchoBackend.Behaviour behaviour) throws Exception {
    EchoBackend backend = new EchoBackend("web.1", behaviour);
    toClose.add(backend);
    harness = new RouterHarness();
    harness.route(HOST, "hello", backend.backend());
    return backend;
  }

  private static String put(String body, String... headerLines) {
    StringBuilder sb = new StringBuilder("PUT /items HTTP/1.1\r\nHost: " + HOST + "\r\n");
    for (String line : headerLines) sb.append(line).append("\r\n");
    return sb.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body)
        .toString();
  }

  private static String randomBody(int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) sb.append((char) ('a' + random.nextInt(26)));
    return sb.toString();
  }

  @Test
  void putWithASmallBodyGoesOnThePooledConnection() throws Exception {
    EchoBackend web1 = backend(EchoBackend.Behaviour.NORMAL);
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").status()).isEqualTo(200); // leaves a pooled connection
      String body = randomBody(20_000);
      client.send(put(body));
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo(body);
      assertThat(response.header("X-Connection")).isEqualTo("1");
    }
    assertThat(web1.accepted()).isEqualTo(1);
    assertThat(web1.received()).extracting(EchoBackend.Received::method)
        .containsExactly("GET", "PUT");
    assertThat(web1.received().get(1).text()).hasSize(20_000);
    harness.log.next();
    assertThat(harness.log.next().connectMillis()).isZero(); // a reused connection
  }

  @Test
  void putOnAConnectionTheInstanceClosesUnansweredIsSentAgainWholeOnANewOne() throws Exception {
    EchoBackend web1 = backend(new EchoBackend.Behaviour(1, 0));
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").status()).isEqualTo(200);
      String body = randomBody(30_000);
      client.send(put(body)); // goes on the pooled connection, which the instance then resets
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo(body);
      assertThat(response.header("X-Connection")).isEqualTo("2");
      assertThat(client.get(HOST, "/").status()).isEqualTo(200); // the client connection goes on
    }
    List<EchoBackend.Received> posts = web1.received().stream()
        .filter(r -> r.method().equals("PUT")).toList();
    assertThat(posts).hasSize(1);
    assertThat(posts.getFirst().connection()).isEqualTo(2);
    assertThat(web1.accepted()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      AccessLogEntry entry = harness.log.next();
      assertThat(entry.status()).isEqualTo(200);
      assertThat(entry.error()).isNull();
    }
    harness.awaitInFlight(0);
    assertThat(harness.log.size()).as("one entry per request").isZero();
  }

  @Test
  void bodyPartsSentAfterTheResendStartedFollowTheKeptOnesInOrder() throws Exception {
    EchoBackend web1 = backend(new EchoBackend.Behaviour(1, 0));
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").status()).isEqualTo(200);
      String first = randomBody(10_000);
      String rest = randomBody(10_000);
      client.send("PUT /items HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: 20000\r\n\r\n"
          + first);
      Thread.sleep(200); // the instance resets the pooled connection; the router resends
      client.send(rest);
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo(first + rest);
    }
    assertThat(web1.received()).extracting(EchoBackend.Received::method)
        .containsExactly("GET", "PUT");
    assertThat(web1.received().get(1).text()).hasSize(20_000);
  }

  @Test
  void putAfterTheInstanceResetItsConnectionsSucceedsOnce() throws Exception {
    EchoBackend web1 = backend(EchoBackend.Behaviour.NORMAL);
    try (RawClient client = harness.client()) {
      for (int i = 0; i < 10; i++) {
        String body = randomBody(1000 + i);
        client.send(put(body));
        RawClient.Response response = client.readResponse();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo(body);
        web1.resetConnections(); // the pooled connection is dead when the next PUT comes
      }
    }
    assertThat(web1.received()).extracting(r -> r.body().length)
        .containsExactly(1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009);
  }

  @Test
  void largeChunkedAndExpectContinuePutsGoOnNewConnections() throws Exception {
    EchoBackend web1 = backend(EchoBackend.Behaviour.NORMAL);
    String large = randomBody((int) FrontendHandler.MAX_RETRYABLE_BODY + 1);
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").status()).isEqualTo(200);

      client.send(put(large));
      RawClient.Response response = client.readResponse();
      assertThat(response.text()).isEqualTo(large);
      assertThat(response.header("X-Connection")).isEqualTo("2");

      client.send("PUT /items HTTP/1.1\r\nHost: " + HOST + "\r\nTransfer-Encoding: chunked\r\n"
          + "\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
      response = client.readResponse();
      assertThat(response.text()).isEqualTo("hello world");
      assertThat(response.header("X-Connection")).isEqualTo("3");

      client.send("PUT /items HTTP/1.1\r\nHost: " + HOST + "\r\nExpect: 100-continue\r\n"
          + "Content-Length: 5\r\n\r\n");
      assertThat(client.readHead().status()).isEqualTo(100);
      client.send("howdy");
      response = client.readResponse();
      assertThat(response.text()).isEqualTo("howdy");
      assertThat(response.header("X-Connection")).isEqualTo("4");

      client.send(put("small")); // and a small one reuses a pooled connection again
      response = client.readResponse();
      assertThat(response.text()).isEqualTo("small");
      assertThat(Integer.parseInt(response.header("X-Connection"))).isBetween(1, 4);
    }
    assertThat(web1.accepted()).isEqualTo(4);
    assertThat(web1.received()).extracting(EchoBackend.Received::text)
        .containsExactly("", large, "hello world", "howdy", "small");
  }

  @Test
  void clientLeavingMidBodyOnAPooledConnectionEndsTheExchangeOnce() throws Exception {
    EchoBackend web1 = backend(EchoBackend.Behaviour.NORMAL);
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").status()).isEqualTo(200);
      client.send("PUT /items HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: 20000\r\n\r\n"
          + randomBody(5000));
      Thread.sleep(100);
    }
    harness.log.next();
    AccessLogEntry entry = harness.log.next();
    assertThat(entry.error()).isEqualTo(RouterError.CLIENT_CLOSED);
    harness.awaitInFlight(0);
    assertThat(web1.received()).hasSize(1); // only the GET was answered
  }

  @Test
  void aSmallPostGoesOnANewConnectionNotAPooledOne() throws Exception {
    EchoBackend web1 = backend(EchoBackend.Behaviour.NORMAL);
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").status()).isEqualTo(200); // leaves a pooled connection
      String body = randomBody(500);
      client.send(put(body).replaceFirst("PUT", "POST"));
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo(body);
      assertThat(response.header("X-Connection")).isEqualTo("2");
    }
  }

  @Test
  void aPostTheInstanceReadButNeverAnsweredIsNotSentAgain() throws Exception {
    EchoBackend web1 = backend(new EchoBackend.Behaviour(0, 0, "POST"));
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").status()).isEqualTo(200);
      client.send(put(randomBody(300)).replaceFirst("PUT", "POST")); // e.g. a payment: once only
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(502);
      assertThat(response.header("X-Router-Error")).isEqualTo("backend_closed");
    }
    assertThat(web1.readUnanswered()).hasSize(1);
    harness.awaitInFlight(0);
  }

  @Test
  void concurrentPutsWhileTheInstanceClosesIdleConnectionsAllSucceedExactlyOnce()
      throws Exception {
    // Two instances: a fresh connect that fails outright (rare on a busy loopback) is retried on
    // the other one, as in production; this test is about reused connections.
    EchoBackend web1 = new EchoBackend("web.1", new EchoBackend.Behaviour(0, 0.3));
    EchoBackend web2 = new EchoBackend("web.2", new EchoBackend.Behaviour(0, 0.3));
    toClose.add(web1);
    toClose.add(web2);
    harness = new RouterHarness();
    harness.route(HOST, "hello", web1.backend(), web2.backend());
    int clients = 16;
    int requestsEach = 50;
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        done.add(pool.submit(() -> {
          try (RawClient client = harness.client()) {
            for (int i = 0; i < requestsEach; i++) {
              String body = randomBody(ThreadLocalRandom.current().nextInt(1024, 10 * 1024 + 1));
              client.send(put(body));
              RawClient.Response response = client.readResponse();
              if (response.status() == 200 && response.text().equals(body)) {
                ok.incrementAndGet();
              } else {
                failures.add(response.status() + " " + response.header("X-Router-Error") + " "
                    + response.body().length + "/" + body.length());
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get(20, TimeUnit.SECONDS);
    }
    int total = clients * requestsEach;
    assertThat(failures).isEmpty();
    assertThat(ok.get()).isEqualTo(total);
    Map<String, Integer> times = new HashMap<>();
    List<EchoBackend.Received> received = new ArrayList<>(web1.received());
    received.addAll(web2.received());
    for (EchoBackend.Received r : received) times.merge(r.text(), 1, Integer::sum);
    assertThat(times).hasSize(total); // random bodies: each distinct, each seen once
    assertThat(times.values()).containsOnly(1);
    assertThat(web1.accepted() + web2.accepted()).isLessThan(total); // pooled ones were used
    for (int i = 0; i < total; i++) assertThat(harness.log.next().error()).isNull();
    harness.awaitInFlight(0);
  }
}
