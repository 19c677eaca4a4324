package dev.pier.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Slowloris clients: many connections that send a request line, then one header line per {@link
 * #trickle()} and never the blank line that would end the head. Each connects from a given
 * loopback address (any of 127/8 is this machine), so tests can play several client addresses.
 */
public final class SlowClients implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();
  private int lines;

  /** Opens {@code count} connections from {@code from} to {@code port} on this machine. */
  public void open(int port, InetAddress from, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      Socket socket = new Socket();
      socket.setSoLinger(true, 0); // close with a reset: no TIME_WAIT pile-up between tests
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      sockets.add(socket);
      send(socket, "GET / HTTP/1.1\r\nHost: slow.localhost\r\n");
    }
  }

  /** Sends one more header line on every connection still writable; returns how many took it. */
  public int trickle() {
    lines++;
    int alive = 0;
    for (Socket socket : sockets) {
      if (socket.isClosed()) continue;
      if (send(socket, "X-Slow-" + lines + ": still coming\r\n")) alive++;
    }
    return alive;
  }

  /** Returns how many connections were opened. */
  public int size() {
    return sockets.size();
  }

  private static boolean send(Socket socket, String line) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(line.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return true;
    } catch (IOException e) { // refused or cut by the router
      try {
        socket.close();
      } catch (IOException ignored) {
        // already gone
      }
      return false;
    }
  }

  @Override
  public void close() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }
}
