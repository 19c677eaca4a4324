package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing, forwarding headers and router-made errors, over real sockets. */
class RouterServerTest {
  private TestBackend web1;
  private TestBackend web2;
  private RouterHarness harness;

  @BeforeEach
  void start() throws Exception {
    web1 = new TestBackend("web.1");
    web2 = new TestBackend("web.2");
    harness = new RouterHarness();
  }

  @AfterEach
  void stop() {
    harness.close();
    web1.close();
    web2.close();
  }

  @Test
  void requestIsRoutedByHostHeaderIgnoringCaseAndPort() throws Exception {
    harness.route("hello.localhost", "hello", web1.backend());
    harness.route("other.localhost", "other", web2.backend());
    try (RawClient client = harness.client()) {
      assertThat(client.get("hello.localhost", "/").instance()).isEqualTo("web.1");
      assertThat(client.get("Other.LOCALHOST:" + harness.port(), "/").instance()).isEqualTo("web.2");
    }
  }

  @Test
  void requestsSpreadOverTwoIdleInstances() throws Exception {
    harness.route("hello.localhost", "hello", web1.backend(), web2.backend());
    List<String> served = new ArrayList<>();
    try (RawClient client = harness.client()) {
      for (int i = 0; i < 40; i++) served.add(client.get("hello.localhost", "/").instance());
    }
    assertThat(served).contains("web.1", "web.2"); // ties between idle instances go either way
  }

  @Test
  void appSeesForwardingHeadersAndClientGetsTheSameRequestId() throws Exception {
    harness.route("hello.localhost", "hello", web1.backend());
    try (RawClient client = harness.client()) {
      RawClient.Response response =
          client.get("hello.localhost", "/", "X-Forwarded-For: 203.0.113.9", "X-Forwarded-Proto: https");
      assertThat(response.seen("X-Forwarded-For")).isEqualTo("203.0.113.9, 127.0.0.1");
      assertThat(response.seen("X-Forwarded-Proto")).isEqualTo("http");
      assertThat(response.seen("X-Forwarded-Port")).isEqualTo(Integer.toString(harness.port()));
      assertThat(response.seen("X-Request-Start")).matches("\\d{13}");
      String requestId = response.seen("X-Request-Id");
      assertThat(requestId).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
      assertThat(response.header("X-Request-Id")).isEqualTo(requestId);
    }
  }

  @Test
  void validIncomingRequestIdIsKeptAndInvalidOneIsReplaced() throws Exception {
    harness.route("hello.localhost", "hello", web1.backend());
    String valid = "abcDEF0123456789+/=-xyz";
    try (RawClient client = harness.client()) {
      RawClient.Response kept = client.get("hello.localhost", "/", "X-Request-Id: " + valid);
      assertThat(kept.seen("X-Request-Id")).isEqualTo(valid);
      assertThat(kept.header("X-Request-Id")).isEqualTo(valid);

      RawClient.Response tooShort = client.get("hello.localhost", "/", "X-Request-Id: short");
      RawClient.Response badChars =
          client.get("hello.localhost", "/", "X-Request-Id: has spaces and ; in it 0123456789");
      for (RawClient.Response replaced : List.of(tooShort, badChars)) {
        assertThat(replaced.seen("X-Request-Id")).hasSize(36).isEqualTo(replaced.header("X-Request-Id"));
      }
    }
  }

  @Test
  void hopByHopHeadersAreNotForwarded() throws Exception {
    harness.route("hello.localhost", "hello", web1.backend());
    try (RawClient client = harness.client()) {
      RawClient.Response response =
          client.get("hello.localhost", "/", "Connection: keep-alive, X-Secret", "X-Secret: 1",
              "Keep-Alive: timeout=5", "X-Kept: yes");
      assertThat(response.seen("X-Secret")).isNull();
      assertThat(response.seen("Keep-Alive")).isNull();
      assertThat(response.seen("X-Kept")).isEqualTo("yes");
    }
  }

  @Test
  void unknownHostGets404NoSuchAppPageAndIsLoggedWithoutApp() throws Exception {
    try (RawClient client = harness.client()) {
      RawClient.Response response = client.get("nope.localhost", "/");
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.header("X-Router-Error")).isEqualTo("no_such_app");
      assertThat(response.header("Content-Type")).startsWith("text/html");
      assertThat(response.text()).contains("No such app");
      assertThat(response.header("X-Request-Id")).isNotBlank();
      // the connection stays usable after a router error
      assertThat(client.get("nope.localhost", "/").status()).isEqualTo(404);
    }
    AccessLogEntry entry = harness.log.next();
    assertThat(entry.app()).isNull();
    assertThat(entry.error()).isEqualTo(RouterError.NO_SUCH_APP);
    assertThat(entry.format()).startsWith("at=error code=no_such_app desc=\"No such app\" method=GET");
  }

  @Test
  void routeWithoutInstancesGets503NoInstances() throws Exception {
    harness.route("hello.localhost", "hello");
    try (RawClient client = harness.client()) {
      RawClient.Response response = client.get("hello.localhost", "/");
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.header("X-Router-Error")).isEqualTo("no_instances");
    }
    assertThat(harness.log.next().app()).isEqualTo("hello");
  }

  @Test
  void refusedConnectionIsRetriedOnTheLiveInstance() throws Exception {
    Backend dead = RouterHarness.refusing("web.1");
    harness.route("hello.localhost", "hello", dead, web2.backend());
    try (RawClient client = harness.client()) {
      for (int i = 0; i < 4; i++) {
        RawClient.Response response = client.get("hello.localhost", "/");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.instance()).isEqualTo("web.2");
      }
    }
  }

  @Test
  void allInstancesRefusingGives502ConnectFailed() throws Exception {
    harness.route("hello.localhost", "hello",
        RouterHarness.refusing("web.1"), RouterHarness.refusing("web.2"));
    try (RawClient client = harness.client()) {
      RawClient.Response response = client.get("hello.localhost", "/");
      assertThat(response.status()).isEqualTo(502);
      assertThat(response.header("X-Router-Error")).isEqualTo("connect_failed");
    }
    AccessLogEntry entry = harness.log.next();
    assertThat(entry.error()).isEqualTo(RouterError.CONNECT_FAILED);
    assertThat(entry.status()).isEqualTo(502);
  }

  @Test
  void silentInstanceGives504AfterTheResponseTimeout() throws Exception {
    harness.close();
    harness = new RouterHarness(RouterHarness.FAST.withTimeouts(
        Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(10)));
    try (ServerSocket silent = new ServerSocket(0);
        RawClient client = harness.client()) {
      harness.route("hello.localhost", "hello", new Backend("web.1", "127.0.0.1", silent.getLocalPort()));
      long start = System.nanoTime();
      RawClient.Response response = client.get("hello.localhost", "/");
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(response.status()).isEqualTo(504);
      assertThat(response.header("X-Router-Error")).isEqualTo("response_timeout");
      assertThat(elapsedMillis).isBetween(250L, 3000L);
    }
    assertThat(harness.log.next().format()).startsWith("at=error code=response_timeout");
  }

  @Test
  void instanceClosingMidResponseClosesTheClientConnection() throws Exception {
    try (ServerSocket broken = new ServerSocket(0)) {
      Thread app = Thread.ofVirtual().start(() -> {
        try (Socket s = broken.accept()) {
          s.getInputStream().read(new byte[4096]);
          s.getOutputStream().write(
              "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly ten!!".getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        } catch (IOException ignored) {
          // test fails on the client side instead
        }
      });
      harness.route("hello.localhost", "hello", new Backend("web.1", "127.0.0.1", broken.getLocalPort()));
      try (RawClient client = harness.client()) {
        client.send("GET / HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
        RawClient.Head head = client.readHead();
        assertThat(head.status()).isEqualTo(200);
        byte[] rest = client.socket.getInputStream().readAllBytes(); // ends at EOF, not hang
        assertThat(rest.length).isLessThan(1000);
      }
      app.join(5000);
    }
    AccessLogEntry entry = harness.log.next();
    assertThat(entry.error()).isEqualTo(RouterError.BACKEND_CLOSED);
    assertThat(entry.status()).isEqualTo(200);
  }

  @Test
  void instanceClosingWithoutResponseGives502() throws Exception {
    try (ServerSocket rude = new ServerSocket(0)) {
      Thread app = Thread.ofVirtual().start(() -> {
        try (Socket s = rude.accept()) {
          s.getInputStream().read(new byte[4096]);
        } catch (IOException ignored) {
          // the router sees the close
        }
      });
      harness.route("hello.localhost", "hello", new Backend("web.1", "127.0.0.1", rude.getLocalPort()));
      try (RawClient client = harness.client()) {
        RawClient.Response response = client.get("hello.localhost", "/");
        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header("X-Router-Error")).isEqualTo("backend_closed");
      }
      app.join(5000);
    }
  }

  @Test
  void routeSwapTakesEffectOnTheNextRequestOfAKeptAliveConnection() throws Exception {
    harness.route("hello.localhost", "hello", web1.backend());
    try (RawClient client = harness.client()) {
      assertThat(client.get("hello.localhost", "/").instance()).isEqualTo("web.1");
      harness.route("hello.localhost", "hello", web2.backend());
      assertThat(client.get("hello.localhost", "/").instance()).isEqualTo("web.2");
      harness.routes(Map.of());
      assertThat(client.get("hello.localhost", "/").status()).isEqualTo(404);
    }
  }

  @Test
  void concurrentClientsAreAllServedAndLoggedOnce() throws Exception {
    harness.route("hello.localhost", "hello", web1.backend(), web2.backend());
    int clients = 20;
    int requestsEach = 10;
    ConcurrentHashMap<String, Integer> served = new ConcurrentHashMap<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        done.add(pool.submit(() -> {
          try (RawClient client = harness.client()) {
            for (int i = 0; i < requestsEach; i++) {
              RawClient.Response response = client.get("hello.localhost", "/");
              assertThat(response.status()).isEqualTo(200);
              served.merge(response.instance(), 1, Integer::sum);
            }
          }
          return null;
        }));
      }
      for (var f : done) f.get(20, TimeUnit.SECONDS);
    }
    assertThat(served.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(clients * requestsEach);
    assertThat(served).containsKeys("web.1", "web.2");
    for (int i = 0; i < clients * requestsEach; i++) assertThat(harness.log.next().status()).isEqualTo(200);
  }

  @Test
  void accessLogEntryDescribesTheRequestInHerokuFormat() throws Exception {
    harness.route("hello.localhost", "hello", web1.backend());
    RawClient.Response response;
    try (RawClient client = harness.client()) {
      response = client.get("hello.localhost", "/some/path?q=1", "X-Request-Id: 0123456789abcdefghijXYZ");
    }
    AccessLogEntry entry = harness.log.next();
    assertThat(entry.app()).isEqualTo("hello");
    assertThat(entry.instance()).isEqualTo("web.1");
    assertThat(entry.bytes()).isEqualTo(response.body().length);
    assertThat(entry.format()).matches(
        "at=info method=GET path=\"/some/path\\?q=1\" host=hello.localhost"
            + " request_id=0123456789abcdefghijXYZ fwd=\"127.0.0.1\" dyno=web.1"
            + " connect=\\d+ms service=\\d+ms status=200 bytes=" + response.body().length);
  }
}
