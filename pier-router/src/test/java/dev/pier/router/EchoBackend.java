package dev.pier.router;

import dev.pier.model.Backend;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 keep-alive app instance on a loopback port that answers every request with its
 * body (read by {@code Content-Length} or chunks) and an {@code X-Connection} header numbering the
 * connection it came on (1 for the first accepted). It records each request it answered, so tests
 * can check a body arrived exactly once and on which connection, and it can close connections the
 * way real instances race with a router that reuses them.
 */
final class EchoBackend implements AutoCloseable {
  /**
   * How the instance treats its connections.
   *
   * @param requestsPerConnection answer this many requests per connection, then reset it when the
   *     next request's head arrives, unanswered and its body unread (0: no limit)
   * @param closeChance after answering, close the connection with this probability, at once or
   *     after up to 2 ms (the router may have sent the next request on it meanwhile)
   * @param crashOn requests of this method are read whole, then the connection is closed without
   *     an answer, as an instance dying mid-request does (null: none)
   */
  record Behaviour(int requestsPerConnection, double closeChance, String crashOn) {
    static final Behaviour NORMAL = new Behaviour(0, 0);

    Behaviour(int requestsPerConnection, double closeChance) {
      this(requestsPerConnection, closeChance, null);
    }
  }

  /** A request the instance read whole and answered (its response written). */
  record Received(int connection, String method, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  private final String name;
  private final Behaviour behaviour;
  private final ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Received> readUnanswered = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  EchoBackend(String name, Behaviour behaviour) throws IOException {
    this.name = name;
    this.behaviour = behaviour;
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().start(this::acceptLoop);
  }

  Backend backend() {
    return new Backend(name, "127.0.0.1", server.getLocalPort());
  }

  /** Connections accepted since start. */
  int accepted() {
    return accepted.get();
  }

  /** The requests answered so far, in the order they were read. */
  List<Received> received() {
    return List.copyOf(received);
  }

  /** Requests read whole and left unanswered ({@link Behaviour#crashOn}). */
  List<Received> readUnanswered() {
    return List.copyOf(readUnanswered);
  }

  /** Resets every open connection, as a restarted instance would, and keeps listening. */
  void resetConnections() throws IOException {
    for (Socket s : open) {
      try {
        s.setSoLinger(true, 0);
        s.close();
      } catch (SocketException closedMeanwhile) {
        // its connection just ended on its own
      }
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        int number = accepted.incrementAndGet();
        open.add(s);
        Thread.ofVirtual().start(() -> serve(s, number));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s, int number) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      int served = 0;
      while (true) {
        String requestLine = HttpLines.read(in);
        if (requestLine == null) return; // the router closed the connection
        long length = 0;
        boolean chunked = false;
        String line;
        while ((line = HttpLines.read(in)) != null && !line.isEmpty()) {
          int colon = line.indexOf(':');
          String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = line.substring(colon + 1).trim();
          if (name.equals("content-length")) length = Long.parseLong(value);
          if (name.equals("transfer-encoding")) chunked = value.equalsIgnoreCase("chunked");
        }
        if (line == null) return;
        if (behaviour.requestsPerConnection() > 0 && served >= behaviour.requestsPerConnection()) {
          s.setSoLinger(true, 0); // body unread: reset, as a server closing with unread data does
          return;
        }
        byte[] body = chunked ? readChunked(in) : in.readNBytes((int) length);
        if (body.length < length) throw new EOFException("body ended early");
        if (requestLine.split(" ")[0].equals(behaviour.crashOn())) {
          readUnanswered.add(new Received(number, behaviour.crashOn(), body));
          return; // closed in finally, unanswered
        }
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
            + "X-Connection: " + number + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        // Counted once answered: a socket reset meanwhile may still let a read through, and
        // the router then rightly sends the unanswered request again.
        received.add(new Received(number, requestLine.split(" ")[0], body));
        served++;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (random.nextDouble() < behaviour.closeChance()) {
          if (random.nextBoolean()) Thread.sleep(random.nextInt(3));
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // reset by the router, or stopped
    } finally {
      open.remove(s);
    }
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = HttpLines.read(in);
      if (sizeLine == null) throw new EOFException("chunked body ended early");
      int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
      if (size == 0) {
        String trailer;
        while ((trailer = HttpLines.read(in)) != null && !trailer.isEmpty()) {}
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      HttpLines.read(in); // the CRLF after the chunk
    }
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
