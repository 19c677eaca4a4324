package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Large bodies stream through the router, which holds back when the far side is slow. */
class StreamingTest {
  private static final long TWENTY_MB = 20L * 1024 * 1024;
  /** Far more than loopback socket buffers hold, so a router that buffers would be caught. */
  private static final long HUGE = 400L * 1024 * 1024;
  private static final long BUFFER_BOUND = 64L * 1024 * 1024;

  private TestBackend web1;
  private RouterHarness harness;

  @BeforeEach
  void start() throws Exception {
    web1 = new TestBackend("web.1");
  }

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
    web1.close();
  }

  static Stream<Supplier<Transport>> transports() {
    return Stream.of(Transport::detect, Transport::nio);
  }

  @ParameterizedTest
  @MethodSource("transports")
  void largeUploadIsEchoedBackIntact(Supplier<Transport> transport) throws Exception {
    RouterServer router = new RouterServer(RouterHarness.FAST, AccessLog.NONE, new RoundRobin(),
        transport.get());
    router.start();
    try (router; RawClient client = new RawClient(router.port())) {
      router.routes(new RouteTable(
          Map.of("hello.localhost", new Route("hello", List.of(web1.backend())))));
      client.send("POST /echo HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: " + TWENTY_MB
          + "\r\n\r\n");
      CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
        try {
          PatternBytes.write(TWENTY_MB, client.out());
          client.out().flush();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      RawClient.Head head = client.readHead();
      assertThat(head.status()).isEqualTo(200);
      PatternBytes.Digest echoed = new PatternBytes.Digest();
      client.readBody(head, echoed);
      upload.get(10, TimeUnit.SECONDS);
      assertThat(echoed.count).isEqualTo(TWENTY_MB);
      assertThat(echoed.hex()).isEqualTo(PatternBytes.sha256(TWENTY_MB));
      // and the connection is still good for another request
      assertThat(client.get("hello.localhost", "/").instance()).isEqualTo("web.1");
    }
  }

  @Test
  void largeChunkedDownloadArrivesIntact() throws Exception {
    harness = new RouterHarness();
    harness.route("hello.localhost", "hello", web1.backend());
    try (RawClient client = harness.client()) {
      client.send("GET /download?bytes=" + TWENTY_MB + " HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
      RawClient.Head head = client.readHead();
      assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
      PatternBytes.Digest body = new PatternBytes.Digest();
      client.readBody(head, body);
      assertThat(body.count).isEqualTo(TWENTY_MB);
      assertThat(body.hex()).isEqualTo(PatternBytes.sha256(TWENTY_MB));
    }
    assertThat(harness.log.next().bytes()).isEqualTo(TWENTY_MB);
  }

  @Test
  void uploadToAStalledInstanceIsHeldBackNotBuffered() throws Exception {
    harness = new RouterHarness(RouterHarness.FAST.withTimeouts(
        Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30)));
    try (ServerSocket stalled = new ServerSocket()) {
      stalled.setReceiveBufferSize(64 * 1024);
      stalled.bind(new InetSocketAddress("127.0.0.1", 0));
      CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> accept(stalled));
      harness.route("hello.localhost", "hello", new Backend("web.1", "127.0.0.1", stalled.getLocalPort()));
      AtomicLong written = new AtomicLong();
      try (RawClient client = new RawClient(harness.port(), 64 * 1024)) {
        client.send("POST / HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: " + HUGE + "\r\n\r\n");
        Thread writer = Thread.ofVirtual().start(() -> writeUntilFailure(client.out(), written));
        awaitStall(written);
        assertThat(written.get()).isGreaterThan(0).isLessThan(BUFFER_BOUND);
        client.close();
        writer.join(5000);
      } finally {
        accepted.get(5, TimeUnit.SECONDS).close();
      }
    }
  }

  @Test
  void downloadToAStalledClientIsHeldBackNotBuffered() throws Exception {
    harness = new RouterHarness(RouterHarness.FAST.withTimeouts(
        Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30)));
    AtomicLong written = new AtomicLong();
    try (ServerSocket app = new ServerSocket(0)) {
      Thread server = Thread.ofVirtual().start(() -> {
        try (Socket s = app.accept()) {
          s.setSendBufferSize(64 * 1024);
          s.getInputStream().read(new byte[8192]);
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + HUGE + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          writeUntilFailure(out, written);
        } catch (IOException ignored) {
          // the router closed the connection when the client left
        }
      });
      harness.route("hello.localhost", "hello", new Backend("web.1", "127.0.0.1", app.getLocalPort()));
      try (Socket client = new Socket()) {
        client.setReceiveBufferSize(64 * 1024);
        client.connect(new InetSocketAddress("127.0.0.1", harness.port()));
        client.getOutputStream().write(
            "GET / HTTP/1.1\r\nHost: hello.localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        awaitStall(written); // the client never reads
        assertThat(written.get()).isGreaterThan(0).isLessThan(BUFFER_BOUND);
      }
      server.join(5000);
      assertThat(server.isAlive()).as("app sees the connection end after the client left").isFalse();
    }
    assertThat(harness.log.next().error()).isEqualTo(RouterError.CLIENT_CLOSED);
  }

  private static Socket accept(ServerSocket server) {
    try {
      return server.accept();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static void writeUntilFailure(OutputStream out, AtomicLong written) {
    byte[] block = new byte[16 * 1024];
    try {
      while (written.get() < HUGE) {
        out.write(block);
        written.addAndGet(block.length);
      }
    } catch (IOException expected) {
      // the other side closed
    }
  }

  /** Waits until {@code counter} stops growing for 600 ms (at most 10 s). */
  private static void awaitStall(AtomicLong counter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long last = -1;
    int stableSamples = 0;
    while (System.nanoTime() < deadline && stableSamples < 3) {
      Thread.sleep(200);
      long now = counter.get();
      stableSamples = now == last && now > 0 ? stableSamples + 1 : 0;
      last = now;
    }
  }
}
