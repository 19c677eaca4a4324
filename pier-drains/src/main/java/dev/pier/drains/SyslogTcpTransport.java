package dev.pier.drains;

import dev.pier.model.LogLine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * Writes frames over one persistent TCP connection, reconnecting when it breaks.
 *
 * <p>The channel is non-blocking and every wait goes through a selector with a deadline, so a
 * connect that hangs or a receiver that stops reading fails after {@code timeoutNanos} instead of
 * holding the drain thread forever; an interrupt (the drain closing) ends a wait at once. Before
 * each write the transport checks whether the receiver has closed its side, so lines are not
 * written into a connection that is already gone.
 */
final class SyslogTcpTransport implements Transport {
  /** Lines per write: enough to amortise the syscall, small enough to retry cheaply. */
  static final int WRITE_BATCH = 256;

  private final DrainUrl url;
  private final DrainDestinations destinations;
  private final long timeoutNanos;
  private SocketChannel channel;
  private Selector selector;
  private SelectionKey key;

  SyslogTcpTransport(DrainUrl url, DrainOptions options) {
    this.url = url;
    this.destinations = options.destinations();
    this.timeoutNanos = options.connectTimeout().toNanos();
  }

  @Override
  public void send(List<LogLine> batch) throws IOException, InterruptedException {
    if (channel != null && peerClosed()) disconnect();
    if (channel == null) connect();
    try {
      write(ByteBuffer.wrap(SyslogFrames.frames(batch)));
    } catch (IOException | InterruptedException e) {
      disconnect();
      throw e;
    }
  }

  /** Connects to the first address of the host, after checking that all are allowed now. */
  private void connect() throws IOException, InterruptedException {
    String where = url.host() + ":" + url.port();
    InetAddress address = destinations.check(url).getFirst();
    SocketChannel ch = SocketChannel.open();
    Selector sel = Selector.open();
    try {
      ch.configureBlocking(false);
      boolean done = ch.connect(new InetSocketAddress(address, url.port()));
      SelectionKey k = ch.register(sel, done ? 0 : SelectionKey.OP_CONNECT);
      long deadline = System.nanoTime() + timeoutNanos;
      while (!done) {
        await(sel, deadline, "connecting to " + where);
        try {
          done = ch.finishConnect();
        } catch (IOException e) {
          throw new IOException("cannot connect to " + where + ": " + describe(e));
        }
      }
      k.interestOps(0);
      channel = ch;
      selector = sel;
      key = k;
    } finally {
      if (channel != ch) {
        closeQuietly(ch);
        closeQuietly(sel);
      }
    }
  }

  private void write(ByteBuffer buf) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (buf.hasRemaining()) {
      int n;
      try {
        n = channel.write(buf);
      } catch (IOException e) {
        throw new IOException("connection to " + url.host() + ":" + url.port() + " broke: "
            + describe(e));
      }
      if (n == 0) {
        key.interestOps(SelectionKey.OP_WRITE);
        await(selector, deadline, "the receiver is not reading; write");
        key.interestOps(0);
      } else {
        deadline = System.nanoTime() + timeoutNanos; // progress restarts the clock
      }
    }
  }

  /** Waits for the registered readiness, the deadline, or an interrupt. */
  private static void await(Selector sel, long deadline, String what)
      throws IOException, InterruptedException {
    long left = deadline - System.nanoTime();
    if (left <= 0) throw new IOException(what + " timed out");
    sel.select(Math.max(1, left / 1_000_000));
    sel.selectedKeys().clear();
    if (Thread.interrupted()) throw new InterruptedException("drain closing");
  }

  /** True when the receiver has closed its side (or reset); anything it sent is discarded. */
  private boolean peerClosed() {
    ByteBuffer scratch = ByteBuffer.allocate(512);
    try {
      while (true) {
        scratch.clear();
        int n = channel.read(scratch);
        if (n < 0) return true;
        if (n == 0) return false;
      }
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public boolean connected() {
    return channel != null;
  }

  @Override
  public int maxBatch() {
    return WRITE_BATCH;
  }

  @Override
  public long maxDelayNanos() {
    return 0;
  }

  @Override
  public int maxAttempts() {
    return Integer.MAX_VALUE;
  }

  private void disconnect() {
    closeQuietly(channel);
    closeQuietly(selector);
    channel = null;
    selector = null;
    key = null;
  }

  @Override
  public void close() {
    disconnect();
  }

  /** The first non-blank message along the cause chain, else the exception's simple name. */
  static String describe(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank()) return message;
    }
    return e.getClass().getSimpleName();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception ignored) {
      // Closing a broken socket or selector can fail; there is nothing left to release.
    }
  }
}
