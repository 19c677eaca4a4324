package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.runtime.Attachment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of {@code pier run}'s WebSocket. Binary frames carry bytes: from the client, the
 * process's stdin; to the client, its output. Text frames carry small JSON messages: from the
 * client {@code {"type":"resize","columns":C,"rows":R}} and {@code {"type":"eof"}} (end of its
 * stdin), to the client {@code {"type":"exit","status":N}} once the process ended and all its
 * output was sent, after which the server closes the socket (1000). When the socket closes
 * before that, the run is stopped. The server pings every {@link #PING_EVERY}; a client silent
 * for {@link #IDLE_TIMEOUT} counts as gone.
 */
public final class AttachSocket implements Session.Listener.AutoDemanding {
  private static final Logger LOG = LoggerFactory.getLogger(AttachSocket.class);
  static final Duration PING_EVERY = Duration.ofSeconds(20);
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(75);
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);
  private static final ScheduledExecutorService PINGER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "pier-attach-ping");
    t.setDaemon(true);
    return t;
  });

  private final Attachment attachment;
  private final Runnable finished;
  private final Runnable disconnected;
  private final AtomicBoolean exited = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Session session;
  private volatile ScheduledFuture<?> pings;

  /**
   * @param finished called once the exit status was sent
   * @param disconnected called when the client went away before that
   */
  AttachSocket(Attachment attachment, Runnable finished, Runnable disconnected) {
    this.attachment = attachment;
    this.finished = finished;
    this.disconnected = disconnected;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    session.setIdleTimeout(IDLE_TIMEOUT);
    session.setMaxBinaryMessageSize(1 << 20);
    pings = PINGER.scheduleAtFixedRate(
        () -> session.sendPing(ByteBuffer.allocate(0), Callback.NOOP),
        PING_EVERY.toMillis(), PING_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    Thread.ofPlatform().daemon().name("pier-attach-output").start(this::pumpOutput);
  }

  /** Sends the output as binary frames, one at a time, then the exit status. */
  private void pumpOutput() {
    byte[] buf = new byte[32 * 1024];
    try (InputStream out = attachment.output()) {
      int n;
      while ((n = out.read(buf)) >= 0) {
        if (n == 0) continue;
        ByteBuffer chunk = ByteBuffer.wrap(java.util.Arrays.copyOf(buf, n));
        send(cb -> session.sendBinary(chunk, cb));
      }
      Integer status = attachment.exit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      Map<String, Object> message = new java.util.LinkedHashMap<>();
      message.put("type", "exit");
      message.put("status", status);
      String exit = Json.MAPPER.writeValueAsString(message);
      send(cb -> session.sendText(exit, cb));
      exited.set(true);
      finished.run();
      session.close(1000, "exited", Callback.NOOP);
    } catch (Exception e) {
      if (!closed.get()) LOG.debug("attach output ended: {}", e.toString());
      session.close(1011, "output failed", Callback.NOOP);
    }
  }

  private interface Sender {
    void send(Callback callback);
  }

  /** Sends one frame and waits for it to be written: the process's output gets backpressure. */
  private void send(Sender sender) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    sender.send(Callback.from(() -> done.complete(null), done::completeExceptionally));
    done.get();
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    try {
      OutputStream in = attachment.input();
      byte[] bytes = new byte[payload.remaining()];
      payload.get(bytes);
      in.write(bytes);
      in.flush();
    } catch (IOException e) {
      // The process closed its stdin or ended: its exit status follows.
    }
    callback.succeed();
  }

  @Override
  public void onWebSocketText(String text) {
    try {
      JsonNode message = Json.MAPPER.readTree(text);
      switch (message.path("type").asText()) {
        case "resize" -> attachment.resize(message.path("columns").asInt(0), message.path("rows").asInt(0));
        case "eof" -> attachment.input().close();
        default -> { } // unknown messages are ignored, for newer clients
      }
    } catch (IOException e) {
      // Malformed message, or stdin already closed.
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    end();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    end();
  }

  private void end() {
    if (!closed.compareAndSet(false, true)) return;
    ScheduledFuture<?> p = pings;
    if (p != null) p.cancel(false);
    if (!exited.get()) disconnected.run();
    attachment.close();
  }
}
