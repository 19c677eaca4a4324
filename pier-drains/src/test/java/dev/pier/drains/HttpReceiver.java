package dev.pier.drains;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An HTTP drain endpoint on loopback that records every POST and answers a fixed status. */
final class HttpReceiver implements AutoCloseable {
  record Request(String method, String path, Headers headers, byte[] body, Instant at) {}

  final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  volatile int status;
  /** How long to wait before answering, to play a destination that hangs. */
  volatile long delayMillis;

  HttpReceiver(int status) throws IOException {
    this.status = status;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          exchange.getRequestHeaders(), body, Instant.now()));
      try {
        if (delayMillis > 0) Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(this.status, -1);
      exchange.close();
    });
    server.setExecutor(executor);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  Request take(long timeoutMillis) throws InterruptedException {
    Request r = requests.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    if (r == null) throw new AssertionError("no HTTP request within " + timeoutMillis + " ms");
    return r;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
