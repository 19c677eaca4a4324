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

/**
 * A real app instance on a loopback port (JDK HTTP server).
 *
 * <ul>
 *   <li>{@code /echo}: streams the request body back while reading it;
 *   <li>{@code /download?bytes=N}: streams N pattern bytes as a chunked response;
 *   <li>anything else: the instance name, then every request header as {@code name: value}.
 * </ul>
 */
final class TestBackend implements AutoCloseable {
  final String name;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  TestBackend(String name) throws IOException {
    this.name = name;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.createContext("/", this::info);
    server.createContext("/echo", TestBackend::echo);
    server.createContext("/download", TestBackend::download);
    server.setExecutor(executor);
    server.start();
  }

  Backend backend() {
    return new Backend(name, "127.0.0.1", server.getAddress().getPort());
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
    server.stop(0);
    executor.shutdownNow();
  }
}
