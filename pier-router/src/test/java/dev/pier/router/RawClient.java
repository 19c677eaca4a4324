package dev.pier.router;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny HTTP/1.x client over one socket, so tests control every byte (Host header, HTTP/1.0,
 * malformed lines) and can see whether the connection is reused or closed.
 */
final class RawClient implements AutoCloseable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawClient(int port) throws IOException {
    this(port, 0);
  }

  RawClient(int port, int sendBuffer) throws IOException {
    this(port, sendBuffer, null);
  }

  /** Connects from {@code local} (for example 127.0.0.7, any of 127/8 is this machine). */
  RawClient(int port, InetAddress local) throws IOException {
    this(port, 0, local);
  }

  private RawClient(int port, int sendBuffer, InetAddress local) throws IOException {
    socket = new Socket();
    if (sendBuffer > 0) socket.setSendBufferSize(sendBuffer);
    if (local != null) socket.bind(new InetSocketAddress(local, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    socket.setSoTimeout(10_000);
    in = new BufferedInputStream(socket.getInputStream(), 65536);
    out = socket.getOutputStream();
  }

  /** Sends a GET with the given Host and extra header lines, and reads the whole response. */
  Response get(String host, String path, String... headerLines) throws IOException {
    StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    for (String line : headerLines) sb.append(line).append("\r\n");
    send(sb.append("\r\n").toString());
    return readResponse();
  }

  void send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  OutputStream out() {
    return out;
  }

  Head readHead() throws IOException {
    return readHead(in);
  }

  /** Reads a response's status line and headers (names lowercased) off {@code in}. */
  static Head readHead(java.io.InputStream in) throws IOException {
    String statusLine = HttpLines.read(in);
    if (statusLine == null) throw new EOFException("connection closed before a response");
    String[] parts = statusLine.split(" ", 3);
    Map<String, List<String>> headers = new TreeMap<>();
    String line;
    while ((line = HttpLines.read(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
    }
    return new Head(parts[0], Integer.parseInt(parts[1]), headers);
  }

  Response readResponse() throws IOException {
    Head head = readHead();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    readBody(head, body);
    return new Response(head, body.toByteArray());
  }

  /** Copies the body of {@code head} to {@code sink}, following its framing. */
  void readBody(Head head, OutputStream sink) throws IOException {
    if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
      while (true) {
        int size = Integer.parseInt(readLine().split(";")[0].trim(), 16);
        if (size == 0) {
          while (!readLine().isEmpty()) {} // trailers
          return;
        }
        copy(size, sink);
        readLine();
      }
    } else if (head.header("content-length") != null) {
      copy(Long.parseLong(head.header("content-length")), sink);
    } else if (head.status() != 204 && head.status() != 304) {
      in.transferTo(sink);
    }
  }

  /** True if the peer closed the connection with a FIN within 5 s: end of stream, not a reset. */
  boolean closedCleanly() throws IOException {
    socket.setSoTimeout(5000);
    try {
      return in.read() == -1;
    } catch (IOException e) {
      return false; // a reset (or no close in time)
    }
  }

  /** Returns true if the peer closed the connection (read hits end of stream within 5 s). */
  boolean closedByPeer() throws IOException {
    return closedByPeer(socket, in);
  }

  /** Whether a read of {@code in} (from {@code socket}) hits end of stream or a reset within 5 s. */
  static boolean closedByPeer(Socket socket, InputStream in) throws IOException {
    socket.setSoTimeout(5000);
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private void copy(long n, OutputStream sink) throws IOException {
    byte[] buf = new byte[65536];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) throw new EOFException("body ended " + n + " bytes early");
      sink.write(buf, 0, r);
      n -= r;
    }
  }

  private String readLine() throws IOException {
    return HttpLines.read(in);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  record Head(String version, int status, Map<String, List<String>> headers) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.getFirst();
    }
  }

  record Response(Head head, byte[] body) {
    int status() {
      return head.status();
    }

    String header(String name) {
      return head.header(name);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** For the info backend: the value of a request header the app received. */
    String seen(String requestHeader) {
      String prefix = requestHeader.toLowerCase(Locale.ROOT) + ": ";
      return text().lines().filter(l -> l.startsWith(prefix))
          .map(l -> l.substring(prefix.length())).findFirst().orElse(null);
    }

    /** For the info backend: the instance name on the first line. */
    String instance() {
      return text().lines().findFirst().orElse("");
    }
  }
}
