package dev.pier.datastores.memcached;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal client of memcached's binary protocol with SASL PLAIN, the way memjs (Node) and other
 * MemCachier clients talk to it: enough for Pier's readiness and status checks and for tests.
 */
public final class MemcachedBinary implements AutoCloseable {
  public static final int OK = 0;
  public static final int NOT_FOUND = 1;
  public static final int AUTH_ERROR = 0x20;

  /** One response: its status and value. */
  public record Response(int status, byte[] key, byte[] value) {
    public String text() {
      return new String(value, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  public MemcachedBinary(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 2000);
    socket.setSoTimeout(5000);
    in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
    out = socket.getOutputStream();
  }

  /** SASL PLAIN; returns the status ({@link #OK} or {@link #AUTH_ERROR}). */
  public int authenticate(String user, String password) throws IOException {
    byte[] value = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    return request(0x21, new byte[0], "PLAIN".getBytes(StandardCharsets.US_ASCII), value).status();
  }

  public int set(String key, String value) throws IOException {
    byte[] extras = ByteBuffer.allocate(8).putInt(0).putInt(0).array();
    return request(0x01, extras, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)).status();
  }

  public Response get(String key) throws IOException {
    return request(0x00, new byte[0], key.getBytes(StandardCharsets.UTF_8), new byte[0]);
  }

  /** The server's general statistics ({@code version}, {@code curr_connections}, ...); empty when refused. */
  public Map<String, String> stats() throws IOException {
    send(0x10, new byte[0], new byte[0], new byte[0]);
    Map<String, String> stats = new LinkedHashMap<>();
    while (true) {
      Response r = read();
      if (r.status() != OK || r.key().length == 0) return stats;
      stats.put(new String(r.key(), StandardCharsets.UTF_8), r.text());
    }
  }

  private Response request(int opcode, byte[] extras, byte[] key, byte[] value) throws IOException {
    send(opcode, extras, key, value);
    return read();
  }

  private void send(int opcode, byte[] extras, byte[] key, byte[] value) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(24 + extras.length + key.length + value.length);
    b.put((byte) 0x80).put((byte) opcode).putShort((short) key.length).put((byte) extras.length).put((byte) 0)
        .putShort((short) 0).putInt(extras.length + key.length + value.length).putInt(0).putLong(0);
    b.put(extras).put(key).put(value);
    out.write(b.array());
    out.flush();
  }

  private Response read() throws IOException {
    byte[] header = new byte[24];
    in.readFully(header);
    ByteBuffer h = ByteBuffer.wrap(header);
    if ((h.get(0) & 0xff) != 0x81) throw new IOException("not a memcached binary response");
    int keyLength = h.getShort(2) & 0xffff;
    int extrasLength = h.get(4) & 0xff;
    int status = h.getShort(6) & 0xffff;
    int total = h.getInt(8);
    byte[] body = new byte[total];
    in.readFully(body);
    byte[] key = java.util.Arrays.copyOfRange(body, extrasLength, extrasLength + keyLength);
    byte[] value = java.util.Arrays.copyOfRange(body, extrasLength + keyLength, total);
    return new Response(status, key, value);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
