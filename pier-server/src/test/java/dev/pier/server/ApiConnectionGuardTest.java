package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-address limit of the API port, on a real Jetty connector and real sockets. */
class ApiConnectionGuardTest {
  private Server jetty;
  private ServerConnector connector;
  private ApiConnectionGuard guard;

  @BeforeEach
  void start() throws Exception {
    jetty = new Server();
    connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    guard = new ApiConnectionGuard(connector.getScheduler());
    connector.addEventListener(guard);
    jetty.setHandler(new org.eclipse.jetty.server.Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        response.setStatus(200);
        response.write(true, java.nio.ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
        return true;
      }
    });
    jetty.start();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
  }

  @Test
  void closedConnectionsGiveTheirCountBackSoAClientIsNeverLockedOut() throws Exception {
    for (int i = 0; i < ApiConnectionGuard.MAX_PER_ADDRESS * 3; i++) {
      assertThat(get()).as("request %d", i).startsWith("HTTP/1.1 200");
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (guard.openFrom(InetAddress.getByName("127.0.0.1")) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(guard.openFrom(InetAddress.getByName("127.0.0.1"))).isZero();
  }

  @Test
  void connectionsOverThePerAddressLimitAreClosedAtOnce() throws Exception {
    java.util.List<Socket> held = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < ApiConnectionGuard.MAX_PER_ADDRESS; i++) held.add(new Socket("127.0.0.1", connector.getLocalPort()));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (guard.openFrom(InetAddress.getByName("127.0.0.1")) < ApiConnectionGuard.MAX_PER_ADDRESS && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(get()).as("one more from the same address").isEmpty();
    } finally {
      for (Socket s : held) s.close();
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    String answer = "";
    while (!answer.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
      answer = get();
    }
    assertThat(answer).as("served again once they closed").startsWith("HTTP/1.1 200");
  }

  private String get() throws Exception {
    try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      try {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (java.net.SocketException reset) {
        return "";
      }
    }
  }
}
