package dev.pier.router;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pier.model.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real app instance on a loopback port (JDK HTTP server).
 *
 * <ul>
 *   <li>{@code /echo}: streams the request body back while reading it;
 *   <li>{@code /download?bytes=N}: streams N pattern bytes as a chunked response;
 *   <li>{@code /hold}: signals its arrival ({@link #awaitHeld()}), waits until the test calls
 *       {@link #releaseHeld()}, then answers as for anything else;
 *   <li>anything else: the instance name, then every request header as {@code name: value}.
 * </ul>
 */
final class TestBackend implements AutoCloseable {
  final String name;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore held = new Semaphore(0);
  private final Semaphore releases = new Semaphore(0);

  TestBackend(String name) throws IOException {
    this.name = name;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.createContext("/", this::info);
    server.createContext("/echo", TestBackend::echo);
    server.createContext("/download", TestBackend::download);
    server.createContext("/hold", this::hold);
    server.setExecutor(executor);
    server.start();
  }

  Backend backend() {
    return new Backend(name, "127.0.0.1", server.getAddress().getPort());
  }

  /** Waits until a {@code /hold} request has arrived here; fails after 5 s. */
  void awaitHeld() throws InterruptedException {
    if (!held.tryAcquire(5, TimeUnit.SECONDS)) throw new AssertionError(name + ": nothing held");
  }

  /** Lets one held request answer. */
  void releaseHeld() {
    releases.release();
  }

  private void hold(HttpExchange exchange) throws IOException {
    held.release();
    try {
      if (!releases.tryAcquire(10, TimeUnit.SECONDS)) throw new IOException("never released");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    info(exchange);
  }

  private void info(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
    StringBuilder sb = new StringBuilder(name).append('\n');
    Map<String, List<String>> sorted = new TreeMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> sorted.put(k.toLowerCase(Locale.ROOT), v));
    sorted.forEach((k, v) -> sb.append(k).append(": ").append(String.join(",", v)).append('\n'));
    byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void echo(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    exchange.sendResponseHeaders(200, length == null ? 0 : Long.parseLong(length));
    try (InputStream in = exchange.getRequestBody();
        OutputStream out = exchange.getResponseBody()) {
      in.transferTo(out);
    }
  }

  private static void download(HttpExchange exchange) throws IOException {
    long bytes = Long.parseLong(exchange.getRequestURI().getQuery().substring("bytes=".length()));
    exchange.sendResponseHeaders(200, 0); // chunked
    try (OutputStream out = exchange.getResponseBody()) {
      PatternBytes.write(bytes, out);
    }
  }

  @Override
  public void close() {
    releases.release(1000); // let held requests end
    server.stop(0);
    executor.shutdownNow();
  }
}
