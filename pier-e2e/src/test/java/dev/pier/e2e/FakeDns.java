package dev.pier.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;

/**
 * A DNS server on loopback UDP for tests (pebble's {@code -dnsserver}): an A query for a name it
 * knows gets that name's IPv4 address, any other query of a known name an empty answer, and an
 * unknown name NXDOMAIN. Only what a resolver's plain queries need: one question, no
 * compression in the question, no TCP.
 */
final class FakeDns implements AutoCloseable {
  private final DatagramSocket socket;
  private final Map<String, InetAddress> names;
  private final Thread thread;
  private volatile boolean silent;

  FakeDns(Map<String, InetAddress> names) throws SocketException {
    this.names = Map.copyOf(names);
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.thread = Thread.ofPlatform().daemon().name("fake-dns").start(this::serve);
  }

  /** While {@code silent}, queries get no answer at all (a resolver waits, then times out). */
  void silent(boolean silent) {
    this.silent = silent;
  }

  /** {@code 127.0.0.1:PORT}, as pebble's {@code -dnsserver} takes it. */
  String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  private void serve() {
    byte[] buf = new byte[1500];
    while (!socket.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        socket.receive(in);
        if (silent) continue;
        byte[] out = answer(ByteBuffer.wrap(in.getData(), 0, in.getLength()));
        if (out != null) socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
      } catch (IOException | RuntimeException e) {
        if (socket.isClosed()) return;
      }
    }
  }

  private byte[] answer(ByteBuffer q) {
    short id = q.getShort();
    short flags = q.getShort();
    if (q.getShort() != 1) return null; // one question only
    q.position(12);
    StringBuilder name = new StringBuilder();
    for (int len; (len = q.get() & 0xff) != 0; ) {
      byte[] label = new byte[len];
      q.get(label);
      if (!name.isEmpty()) name.append('.');
      name.append(new String(label, java.nio.charset.StandardCharsets.US_ASCII));
    }
    int questionEnd = q.position() + 4;
    int type = q.getShort() & 0xffff;
    InetAddress address = names.get(name.toString().toLowerCase(Locale.ROOT));
    boolean a = address != null && type == 1;
    ByteBuffer r = ByteBuffer.allocate(questionEnd + 16);
    r.putShort(id);
    r.putShort((short) (0x8000 | (flags & 0x0100) | 0x0080 | (address == null ? 3 : 0)));
    r.putShort((short) 1).putShort((short) (a ? 1 : 0)).putShort((short) 0).putShort((short) 0);
    r.put(q.array(), q.arrayOffset() + 12, questionEnd - 12);
    if (a) {
      r.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4);
      r.put(address.getAddress());
    }
    byte[] out = new byte[r.position()];
    r.flip().get(out);
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(2_000);
  }
}
