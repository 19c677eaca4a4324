package dev.pier.runtime.local;

import dev.pier.runtime.Probes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The liveness probe of one run of a web instance ({@link Probes.Liveness}): GETs its path on
 * the instance's port every interval, at most one probe in flight, each on a virtual thread of
 * its own (a probe waits up to its timeout; the caller never does). {@link #poll} is called by the
 * supervising thread about once a second and says when the instance must be restarted.
 *
 * <p>Not thread-safe: one supervising thread calls {@link #poll}.
 */
final class LivenessProbe {
  /** One client for every probe: HTTP/1.1 straight to the instance, no proxy, no redirects followed. */
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .proxy(HttpClient.Builder.NO_PROXY)
      .executor(Executors.newVirtualThreadPerTaskExecutor())
      .build();

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

  private static String host() {
    java.net.InetAddress loopback = PortAllocator.loopback();
    return loopback instanceof java.net.Inet6Address ? "[" + loopback.getHostAddress() + "]" : loopback.getHostAddress();
  }

  /**
   * True when GET {@code check.path()} on {@code port} answers 2xx within the timeout (connect and
   * response head together); the body is not read: its stream is closed at once, so an endpoint
   * that streams forever cannot hold the probe. An idle kept-alive connection the instance
   * closed (a restart) is dropped by the client's pool.
   */
  static boolean get(Probes.Liveness check, int port) {
    long deadline = System.nanoTime() + check.timeout().toNanos();
    try {
      HttpRequest request = HttpRequest.newBuilder(
              URI.create("http://" + host() + ":" + port + check.path()))
          .timeout(check.timeout())
          .header("User-Agent", "pier-liveness")
          .GET()
          .build();
      HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      response.body().close();
      return response.statusCode() / 100 == 2 && System.nanoTime() - deadline <= 0;
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
