package dev.pier.router;

import dev.pier.model.Backend;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An app instance on a loopback port that speaks WebSocket the way {@code ws} does, over plain
 * sockets: an upgrade request gets {@code 101 Switching Protocols} with the right {@code
 * Sec-WebSocket-Accept}, then every data frame is echoed back (pings answered, a close frame
 * answered and the connection closed). Any other request gets a keep-alive {@code 200} with body
 * {@code plain NAME}.
 */
final class WebSocketEchoBackend implements AutoCloseable {
  /**
   * How the instance answers upgrade requests.
   *
   * @param greeting a text frame sent in the same write as the 101, or null for none
   * @param rejectStatus answer upgrade requests with this status (for example 426) and a small
   *     keep-alive body instead of switching; 0 switches
   * @param flood after the 101, send 64 KiB binary frames (every byte of frame n is {@code n})
   *     as fast as the connection takes them, instead of echoing; see {@link #flooded()}
   */
  record Behaviour(String greeting, int rejectStatus, boolean flood) {
    static final Behaviour ECHO = new Behaviour(null, 0, false);
    static final Behaviour FLOOD = new Behaviour(null, 0, true);

    static Behaviour greeting(String text) {
      return new Behaviour(text, 0, false);
    }

    static Behaviour rejecting(int status) {
      return new Behaviour(null, status, false);
    }
  }

  final String name;
  private final Behaviour behaviour;
  private final ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong flooded = new AtomicLong();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final LinkedBlockingQueue<Map<String, String>> upgrades = new LinkedBlockingQueue<>();
  private final Thread acceptor;

  WebSocketEchoBackend(String name, Behaviour behaviour) throws IOException {
    this.name = name;
    this.behaviour = behaviour;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().start(this::acceptLoop);
  }

  WebSocketEchoBackend(String name) throws IOException {
    this(name, Behaviour.ECHO);
  }

  Backend backend() {
    return new Backend(name, "127.0.0.1", server.getLocalPort());
  }

  /** Connections accepted since start. */
  int accepted() {
    return accepted.get();
  }

  /** Bytes of flood frames written to the connection's socket so far. */
  long flooded() {
    return flooded.get();
  }

  /** Waits up to 5 s until {@code expected} connections are open; returns whether they were. */
  boolean awaitOpen(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (open.size() != expected) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(5);
    }
    return true;
  }

  /** Returns the headers (names lower case) of the next upgrade request, waiting up to 5 s. */
  Map<String, String> nextUpgrade() throws InterruptedException {
    Map<String, String> headers = upgrades.poll(5, TimeUnit.SECONDS);
    if (headers == null) throw new AssertionError("no upgrade request within 5 s");
    return headers;
  }

  /** Closes every open connection from the instance's side. */
  void closeConnections() throws IOException {
    for (Socket socket : open) socket.close();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        accepted.incrementAndGet();
        open.add(socket);
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
      OutputStream out = socket.getOutputStream();
      Map<String, String> headers;
      while ((headers = readHead(in)) != null) {
        boolean upgrade = "websocket".equalsIgnoreCase(headers.get("upgrade"))
            && headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("upgrade");
        if (!upgrade) {
          respond(out, 200, "OK", "plain " + name);
          continue;
        }
        upgrades.add(headers);
        if (behaviour.rejectStatus() > 0) {
          respond(out, behaviour.rejectStatus(), "Upgrade Required", "no websockets here");
          continue;
        }
        switchAndEcho(headers, in, out);
        return;
      }
    } catch (IOException e) {
      // the peer went away
    } finally {
      open.remove(socket);
    }
  }

  private void switchAndEcho(Map<String, String> headers, InputStream in, OutputStream out)
      throws IOException {
    String accept = WsFrames.acceptFor(headers.get("sec-websocket-key"));
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    first.writeBytes(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    if (behaviour.greeting() != null) first.writeBytes(WsFrames.text(behaviour.greeting(), false));
    out.write(first.toByteArray()); // one write: the greeting rides in the 101's TCP segment
    out.flush();
    if (behaviour.flood()) {
      for (int n = 0; ; n++) {
        byte[] payload = new byte[64 * 1024];
        Arrays.fill(payload, (byte) n);
        byte[] frame = WsFrames.encode(WsFrames.BINARY, payload, false);
        out.write(frame); // blocks while the router holds back
        flooded.addAndGet(frame.length);
      }
    }
    WsFrames.Frame frame;
    while ((frame = WsFrames.read(in)) != null) {
      if (frame.opcode() == WsFrames.CLOSE) {
        out.write(WsFrames.encode(WsFrames.CLOSE, frame.payload(), false));
        return;
      }
      int opcode = frame.opcode() == WsFrames.PING ? WsFrames.PONG : frame.opcode();
      out.write(WsFrames.encode(opcode, frame.payload(), false));
      out.flush();
    }
  }

  private static void respond(OutputStream out, int status, String reason, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain\r\n"
        + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  /** Reads a request head (bodies are not expected); null at end of stream. */
  private static Map<String, String> readHead(InputStream in) throws IOException {
    String requestLine = readLine(in);
    if (requestLine == null) return null;
    Map<String, String> headers = new HashMap<>();
    String line;
    while ((line = readLine(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return headers;
  }

  private static String readLine(InputStream in) throws IOException {
    return HttpLines.read(in);
  }

  @Override
  public void close() {
    try {
      server.close();
      closeConnections();
      acceptor.join(2000);
    } catch (IOException | InterruptedException e) {
      // best effort
    }
  }
}
