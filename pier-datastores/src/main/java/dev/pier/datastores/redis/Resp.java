package dev.pier.datastores.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Redis client (RESP2) over TCP or a unix socket: enough for Pier's admin commands and
 * for tests. Replies: String for simple and bulk strings, Long for integers, List for arrays,
 * {@link Error} for errors, null for nil.
 */
public final class Resp implements AutoCloseable {
  /** An error reply ({@code -ERR ...}, {@code -WRONGPASS ...}, {@code -NOPERM ...}). */
  public record Error(String message) {}

  /** How long a connect or a command may take unless told otherwise. */
  public static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(5);
  /** Closes channels whose connect or command overran: a blocked read then fails. */
  private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("resp-timeouts").factory());

  private final SocketChannel channel;
  private final InputStream in;
  private final OutputStream out;
  private final java.time.Duration timeout;

  private Resp(SocketChannel channel, java.time.Duration timeout) {
    this.channel = channel;
    this.in = new java.io.BufferedInputStream(Channels.newInputStream(channel));
    this.out = Channels.newOutputStream(channel);
    this.timeout = timeout;
  }

  public static Resp tcp(String host, int port) throws IOException {
    return tcp(host, port, TIMEOUT);
  }

  /** A connection whose connect and each command fail (IOException, connection closed) after {@code timeout}. */
  public static Resp tcp(String host, int port, java.time.Duration timeout) throws IOException {
    return open(new InetSocketAddress(host, port), StandardProtocolFamily.INET, timeout);
  }

  public static Resp unix(Path socket) throws IOException {
    return open(UnixDomainSocketAddress.of(socket), StandardProtocolFamily.UNIX, TIMEOUT);
  }

  private static Resp open(SocketAddress address, StandardProtocolFamily family, java.time.Duration timeout)
      throws IOException {
    SocketChannel channel = SocketChannel.open(family);
    var watchdog = closeAfter(channel, timeout);
    try {
      channel.connect(address);
      return new Resp(channel, timeout);
    } catch (IOException e) {
      channel.close();
      throw timedOut(e, channel, timeout);
    } finally {
      watchdog.cancel(false);
    }
  }

  private static java.util.concurrent.ScheduledFuture<?> closeAfter(SocketChannel channel, java.time.Duration timeout) {
    return WATCHDOG.schedule(() -> {
      try {
        channel.close();
      } catch (IOException e) {
        // closed either way
      }
    }, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private static IOException timedOut(IOException e, SocketChannel channel, java.time.Duration timeout) {
    return e instanceof java.nio.channels.AsynchronousCloseException
        ? new java.net.SocketTimeoutException("no answer within " + timeout.toMillis() + " ms")
        : e;
  }

  /** Sends one command and reads its reply. */
  public Object call(String... args) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    buf.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.UTF_8);
      buf.write(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buf.write(b);
      buf.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    var watchdog = closeAfter(channel, timeout);
    try {
      out.write(buf.toByteArray());
      out.flush();
      return read();
    } catch (IOException e) {
      throw timedOut(e, channel, timeout);
    } finally {
      watchdog.cancel(false);
    }
  }

  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) throw new IOException("connection closed by the server");
    String line = line();
    return switch (type) {
      case '+' -> line;
      case '-' -> new Error(line);
      case ':' -> Long.parseLong(line);
      case '$' -> {
        int n = Integer.parseInt(line);
        if (n < 0) yield null;
        byte[] b = in.readNBytes(n + 2);
        yield new String(b, 0, n, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int n = Integer.parseInt(line);
        if (n < 0) yield null;
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < n; i++) items.add(read());
        yield items;
      }
      default -> throw new IOException("unexpected reply type " + (char) type);
    };
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\r') {
        in.read();
        break;
      }
      b.write(c);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
