package dev.pier.router;

import dev.pier.model.Backend;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An app instance on a loopback port that speaks HTTP/1.1 keep-alive over plain sockets, so
 * tests can count the connections the router opens and make the instance misbehave the way real
 * ones do. Every request is answered with a small body: the instance name, then the request's
 * {@code Connection} header as {@code connection=VALUE} ({@code -} if absent).
 */
final class KeepAliveBackend implements AutoCloseable {
  /**
   * How the instance treats its connections.
   *
   * @param idleCloseMillis close a connection idle this long between requests (0: never)
   * @param answerConnectionClose answer with {@code Connection: close} but leave the socket open
   * @param requestsPerConnection answer this many requests per connection, then close the
   *     connection, without answering, when the next one arrives (0: no limit); this is the race
   *     a router loses when an instance closes a kept-alive connection as a request is sent on it
   */
  record Behaviour(int idleCloseMillis, boolean answerConnectionClose, int requestsPerConnection) {
    static final Behaviour NORMAL = new Behaviour(0, false, 0);
  }

  final String name;
  private final Behaviour behaviour;
  private final ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  KeepAliveBackend(String name, Behaviour behaviour) throws IOException {
    this.name = name;
    this.behaviour = behaviour;
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().start(this::acceptLoop);
  }

  KeepAliveBackend(String name) throws IOException {
    this(name, Behaviour.NORMAL);
  }

  Backend backend() {
    return new Backend(name, "127.0.0.1", server.getLocalPort());
  }

  /** Connections accepted since start. */
  int accepted() {
    return accepted.get();
  }

  /** Requests answered since start. */
  int requests() {
    return requests.get();
  }

  /** Connections open right now (each ends when either side closes it). */
  int open() {
    return open.size();
  }

  /** Waits up to {@code millis} until {@link #open()} is {@code expected}; returns whether it was. */
  boolean awaitOpen(int expected, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (open() != expected) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(5);
    }
    return true;
  }

  /** Resets every open connection, as a crashed or restarted instance would, and keeps listening. */
  void resetConnections() throws IOException {
    for (Socket s : open) {
      if (s.isClosed()) continue; // its connection just ended on its own
      try {
        s.setSoLinger(true, 0);
      } catch (java.net.SocketException closedMeanwhile) {
        continue;
      }
      s.close();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        accepted.incrementAndGet();
        open.add(s);
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      if (behaviour.idleCloseMillis() > 0) s.setSoTimeout(behaviour.idleCloseMillis());
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      int served = 0;
      while (true) {
        Request request = readRequest(in);
        if (request == null) return; // the router closed the connection
        if (behaviour.requestsPerConnection() > 0 && served >= behaviour.requestsPerConnection()) {
          return; // close without answering
        }
        in.skipNBytes(request.contentLength());
        byte[] body = (name + "\nconnection=" + request.connection() + "\n")
            .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
            + body.length + "\r\n"
            + (behaviour.answerConnectionClose() ? "Connection: close\r\n" : "") + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        requests.incrementAndGet();
        served++;
      }
    } catch (SocketTimeoutException e) {
      // idle too long: close, as Node does after keepAliveTimeout
    } catch (IOException e) {
      // reset by the router
    } finally {
      open.remove(s);
    }
  }

  private record Request(long contentLength, String connection) {}

  private static Request readRequest(InputStream in) throws IOException {
    String line = readLine(in);
    if (line == null) return null;
    long length = 0;
    String connection = "-";
    while ((line = readLine(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (header.equals("content-length")) length = Long.parseLong(value);
      if (header.equals("connection")) connection = value;
    }
    return line == null ? null : new Request(length, connection);
  }

  private static String readLine(InputStream in) throws IOException {
    return HttpLines.read(in);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) s.close();
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
