package dev.pier.runtime.local;

import dev.pier.runtime.Probes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The liveness probe of one run of a web instance ({@link Probes.Liveness}): GETs its path on
 * the instance's port every interval, at most one probe in flight, each on a virtual thread of
 * its own (a probe waits up to its timeout; the caller never does). {@link #poll} is called by the
 * supervising thread about once a second and says when the instance must be restarted.
 *
 * <p>Not thread-safe: one supervising thread calls {@link #poll}.
 */
final class LivenessProbe {
  private final Probes.Liveness check;
  private final int port;
  private long nextNanos;
  private CompletableFuture<Boolean> inFlight;
  private int failures;
  private int successes;

  /** A probe of {@code port} whose first GET is due {@code check.initialDelay()} from now. */
  LivenessProbe(Probes.Liveness check, int port) {
    this.check = check;
    this.port = port;
    this.nextNanos = System.nanoTime() + check.initialDelay().toNanos();
  }

  /** Failed probes in a row so far. */
  int failures() {
    return failures;
  }

  /**
   * Takes the result of a finished probe and starts the next one when due. Returns true once
   * {@code failureThreshold} probes in a row have failed.
   */
  boolean poll() {
    if (inFlight != null) {
      if (!inFlight.isDone()) return false;
      boolean ok = inFlight.getNow(false);
      inFlight = null;
      if (ok) {
        successes++;
        if (successes >= check.successThreshold()) failures = 0;
      } else {
        successes = 0;
        failures++;
        if (failures >= check.failureThreshold()) return true;
      }
    }
    long now = System.nanoTime();
    if (now - nextNanos >= 0) {
      nextNanos = now + check.interval().toNanos();
      CompletableFuture<Boolean> probe = new CompletableFuture<>();
      inFlight = probe;
      Thread.ofVirtual().name("pier-liveness-" + port).start(() -> probe.complete(get(check, port)));
    }
    return false;
  }

  /** True when GET {@code check.path()} on {@code port} answers 2xx within the timeout. */
  static boolean get(Probes.Liveness check, int port) {
    int timeout = (int) Math.min(Integer.MAX_VALUE, check.timeout().toMillis());
    long deadline = System.nanoTime() + check.timeout().toNanos();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(PortAllocator.loopback(), port), timeout);
      int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      socket.setSoTimeout(left);
      String request = "GET " + check.path() + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: pier-liveness"
          + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      byte[] head = socket.getInputStream().readNBytes(12);
      String status = new String(head, StandardCharsets.US_ASCII);
      return status.startsWith("HTTP/1.") && status.length() == 12 && status.charAt(9) == '2'
          && System.nanoTime() - deadline <= 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
