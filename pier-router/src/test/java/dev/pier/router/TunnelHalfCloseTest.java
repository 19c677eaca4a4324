package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Half-close through an upgraded connection: an instance that answers 101, reads until end of
 * stream, then answers how many bytes it read and closes. It only works if the client's
 * shutdownOutput reaches it as end of stream while the other direction stays open.
 */
class TunnelHalfCloseTest {
  private static final String HOST = "pipe.localhost";
  private ServerSocket server;
  private RouterHarness harness;
  private final CompletableFuture<Long> instanceRead = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::serveOne);
    harness = new RouterHarness();
    harness.route(HOST, "pipe", new Backend("web.1", "127.0.0.1", server.getLocalPort()));
  }

  @AfterEach
  void stop() throws IOException {
    harness.close();
    server.close();
  }

  private void serveOne() {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      String line;
      while ((line = HttpLines.read(in)) != null && !line.isEmpty()) {} // the upgrade request
      OutputStream out = s.getOutputStream();
      out.write(("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
          + "Upgrade: pipe\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long read = in.transferTo(OutputStream.nullOutputStream()); // until the client's EOF
      instanceRead.complete(read);
      out.write(("read " + read).getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      instanceRead.completeExceptionally(e);
    }
  }

  @Test
  void clientShutdownOutputReachesTheInstanceAsEofWhileItsAnswerStillFlows() throws Exception {
    try (Socket client = new Socket("127.0.0.1", harness.port())) {
      client.setSoTimeout(5000);
      OutputStream out = client.getOutputStream();
      out.write(("GET /pipe HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: Upgrade\r\n"
          + "Upgrade: pipe\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = client.getInputStream();
      assertThat(RawClient.readHead(in).status()).isEqualTo(101);
      out.write("hello, half-closed".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      client.shutdownOutput();

      assertThat(instanceRead.get(5, TimeUnit.SECONDS)).isEqualTo(18);
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer); // ends when the instance closed and the router relayed it
      assertThat(answer.toString(StandardCharsets.US_ASCII)).isEqualTo("read 18");
    }
    harness.awaitInFlight(0);
    TunnelStats.Snapshot tunnels = harness.router.tunnels();
    assertThat(tunnels.open()).isZero();
    assertThat(tunnels.closed()).isEqualTo(1);
    assertThat(tunnels.bytesFromClients()).isEqualTo(18);
    assertThat(tunnels.bytesToClients()).isEqualTo(7);
  }
}
