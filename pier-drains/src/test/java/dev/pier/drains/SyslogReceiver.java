package dev.pier.drains;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A syslog receiver on loopback that reads octet-counted frames, or (when {@code reading} is
 * false) accepts connections and never reads from them, like a receiver that has hung.
 */
final class SyslogReceiver implements AutoCloseable {
  final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  final BlockingQueue<Throwable> framingErrors = new LinkedBlockingQueue<>();
  final AtomicInteger connections = new AtomicInteger();
  private final ServerSocket server;
  private final boolean reading;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private SyslogReceiver(int port, boolean reading) throws IOException {
    this.reading = reading;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    Thread.ofPlatform().daemon().name("syslog-receiver-accept").start(this::acceptLoop);
  }

  static SyslogReceiver reading(int port) throws IOException {
    return new SyslogReceiver(port, true);
  }

  static SyslogReceiver neverReading() throws IOException {
    return new SyslogReceiver(0, false);
  }

  int port() {
    return server.getLocalPort();
  }

  String url() {
    return "syslog+tcp://127.0.0.1:" + port();
  }

  /** The next message, failing the test if none arrives within the timeout. */
  String take(long timeoutMillis) throws InterruptedException {
    String m = messages.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    if (m == null) throw new AssertionError("no syslog message within " + timeoutMillis + " ms");
    return m;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        connections.incrementAndGet();
        if (reading) Thread.ofPlatform().daemon().name("syslog-receiver-read").start(() -> read(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void read(Socket s) {
    try (InputStream in = new BufferedInputStream(s.getInputStream())) {
      for (String m = OctetFrames.next(in); m != null; m = OctetFrames.next(in)) messages.add(m);
    } catch (IOException e) {
      if (!s.isClosed()) framingErrors.add(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) s.close();
  }
}
