package dev.pier.router;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal WebSocket client over one socket: sends the opening handshake (with {@code
 * Connection: keep-alive, Upgrade}, as browsers do), then masked frames. After a refused
 * handshake the socket can carry plain HTTP requests.
 */
final class WebSocketClient implements AutoCloseable {
  final Socket socket;
  final String key = WsFrames.newKey();
  private final InputStream in;
  private final OutputStream out;

  WebSocketClient(int port) throws IOException {
    this(port, 0);
  }

  /** Connects with a small receive buffer when {@code receiveBuffer} > 0 (back-pressure tests). */
  WebSocketClient(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    socket.setSoTimeout(10_000);
    in = new BufferedInputStream(socket.getInputStream(), 65536);
    out = socket.getOutputStream();
  }

  /** Talks over {@code connected}, for example a TLS socket to the router's TLS port. */
  WebSocketClient(Socket connected) throws IOException {
    socket = connected;
    socket.setSoTimeout(10_000);
    in = new BufferedInputStream(socket.getInputStream(), 65536);
    out = socket.getOutputStream();
  }

  /** Sends the opening handshake for {@code host} and returns the response head. */
  RawClient.Head handshake(String host, String... headerLines) throws IOException {
    return handshake(host, new byte[0], headerLines);
  }

  /**
   * Sends the opening handshake followed by {@code early} in the same write (bytes a client is
   * not supposed to send before the 101, but may), and returns the response head.
   */
  RawClient.Head handshake(String host, byte[] early, String... headerLines) throws IOException {
    StringBuilder sb = new StringBuilder("GET /chat HTTP/1.1\r\nHost: " + host + "\r\n"
        + "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
        + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n");
    for (String line : headerLines) sb.append(line).append("\r\n");
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    request.writeBytes(early);
    out.write(request.toByteArray());
    out.flush();
    return readHead();
  }

  /** Sends a plain GET on the same connection and returns its response. */
  RawClient.Response get(String host, String path) throws IOException {
    out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return readResponse();
  }

  /** Reads the next plain response (framed by Content-Length) without sending anything. */
  RawClient.Response readResponse() throws IOException {
    RawClient.Head head = readHead();
    return new RawClient.Response(head, readBody(head));
  }

  /** Reads the body of a non-101 response framed by Content-Length. */
  byte[] readBody(RawClient.Head head) throws IOException {
    String length = head.header("content-length");
    if (length == null) throw new IOException("test responses have a Content-Length");
    return in.readNBytes(Integer.parseInt(length));
  }

  void sendText(String text) throws IOException {
    out.write(WsFrames.text(text, true));
    out.flush();
  }

  void sendBinary(byte[] payload) throws IOException {
    out.write(WsFrames.encode(WsFrames.BINARY, payload, true));
    out.flush();
  }

  /** Reads the next frame; fails if the connection ends first. */
  WsFrames.Frame readFrame() throws IOException {
    WsFrames.Frame frame = WsFrames.read(in);
    if (frame == null) throw new EOFException("connection closed before a frame");
    return frame;
  }

  /** Returns true if the router closed the connection (read hits end of stream within 5 s). */
  boolean closedByPeer() throws IOException {
    return RawClient.closedByPeer(socket, in);
  }

  private RawClient.Head readHead() throws IOException {
    return RawClient.readHead(in);
  }


  @Override
  public void close() throws IOException {
    socket.close();
  }
}
