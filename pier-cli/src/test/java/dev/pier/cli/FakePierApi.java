package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * An in-memory stand-in for the Pier REST API of docs/api.md, on a loopback port chosen by the OS.
 * It records every request ("METHOD /path?query") and the last uploaded deploy archive, so tests
 * can check what the CLI sent, or that it sent nothing.
 */
final class FakePierApi implements AutoCloseable {
  static final String TOKEN = "secret-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern APP_NAME = Pattern.compile("[a-z][a-z0-9-]{1,28}[a-z0-9]");

  /** One app's state. */
  static final class FakeApp {
    final String name;
    final Instant createdAt = Instant.parse("2026-11-27T05:30:09Z");
    Integer release;
    final Map<String, Integer> formation = new LinkedHashMap<>();
    final Map<String, String> processes = new LinkedHashMap<>();
    final Map<String, String> config = new TreeMap<>();
    final List<ObjectNode> releases = new ArrayList<>(); // newest first

    FakeApp(String name) {
      this.name = name;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  final Map<String, FakeApp> apps = Collections.synchronizedMap(new TreeMap<>());
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  volatile byte[] lastUpload;
  volatile List<String> deployOutput = List.of("-----> Building with the nodejs buildpack", "-----> Launching...");
  volatile String deployFailure;
  volatile List<String> logLines = List.of();
  volatile long logLineDelayMillis;
  /** When set, the log stream stops after its first line until this latch opens. */
  volatile java.util.concurrent.CountDownLatch logsHold;
  /** The Authorization headers git sent to /git/..., in order ("" when it sent none). */
  final List<String> gitAuthorizations = Collections.synchronizedList(new ArrayList<>());

  FakePierApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Adds an app that has been deployed: release 3, one web instance running "npm start". */
  FakeApp deployedApp(String name) {
    FakeApp app = new FakeApp(name);
    app.release = 3;
    app.formation.put("web", 1);
    app.formation.put("worker", 0);
    app.processes.put("web", "npm start");
    app.processes.put("worker", "node worker.js");
    for (int v = 1; v <= 3; v++) {
      ObjectNode release = JSON.createObjectNode();
      release.put("version", v);
      release.put("description", v == 1 ? "Initial release" : v == 2 ? "Set FOO config vars" : "Deploy 1a2b3c4");
      release.put("created_at", "2026-11-27T05:3" + v + ":00Z");
      release.put("created_by", "admin");
      release.putObject("processes").put("web", "npm start");
      release.put("current", v == 3);
      app.releases.add(0, release);
    }
    apps.put(name, app);
    return app;
  }

  /** Returns the recorded requests that start with the given prefix, e.g. "PATCH ". */
  List<String> requests(String prefix) {
    synchronized (requests) {
      return requests.stream().filter(r -> r.startsWith(prefix)).toList();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      String method = exchange.getRequestMethod();
      if (path.startsWith("/git/")) {
        gitAuthorizationRequired(exchange);
        return;
      }
      requests.add(method + " " + path + (query == null ? "" : "?" + query));
      if (!path.equals("/") && !("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        problem(exchange, 401, "unauthorized", "invalid or missing token");
        return;
      }
      route(exchange, method, path, query == null ? "" : query);
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  /** Challenges git for Basic credentials, records what it sends, then says there is no repo. */
  private void gitAuthorizationRequired(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    gitAuthorizations.add(authorization == null ? "" : authorization);
    if (authorization == null) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"pier\"");
      exchange.sendResponseHeaders(401, -1);
    } else {
      exchange.sendResponseHeaders(404, -1);
    }
  }

  private void route(HttpExchange exchange, String method, String path, String query) throws IOException {
    String[] parts = path.substring(1).split("/");
    if (path.equals("/")) {
      json(exchange, 200, JSON.readTree("{\"name\":\"pier\",\"version\":\"0.1.0\",\"ready\":true}"));
      return;
    }
    if (parts.length == 1 && parts[0].equals("apps")) {
      if (method.equals("GET")) {
        ArrayNode list = JSON.createArrayNode();
        synchronized (apps) {
          apps.values().forEach(a -> list.add(appJson(a)));
        }
        json(exchange, 200, list);
      } else if (method.equals("POST")) {
        createApp(exchange);
      }
      return;
    }
    FakeApp app = parts.length >= 2 ? apps.get(parts[1]) : null;
    if (app == null) {
      problem(exchange, 404, "not_found", "app '" + (parts.length >= 2 ? parts[1] : "") + "' not found");
      return;
    }
    String rest = String.join("/", java.util.Arrays.copyOfRange(parts, 2, parts.length));
    switch (method + " " + rest) {
      case "GET " -> json(exchange, 200, appJson(app));
      case "DELETE " -> {
        apps.remove(app.name);
        json(exchange, 200, JSON.createObjectNode().put("deleted", app.name));
      }
      case "GET config" -> json(exchange, 200, JSON.valueToTree(app.config));
      case "PATCH config" -> patchConfig(exchange, app);
      case "GET ps" -> json(exchange, 200, instances(app));
      case "GET formation" -> json(exchange, 200, JSON.valueToTree(app.formation));
      case "PATCH formation" -> patchFormation(exchange, app);
      case "POST ps/restart" -> restart(exchange, app);
      case "GET releases" -> json(exchange, 200, JSON.valueToTree(app.releases));
      case "GET logs" -> logs(exchange, query);
      case "POST deploy" -> deploy(exchange, app);
      default -> problem(exchange, 404, "not_found", "no route " + method + " " + path);
    }
  }

  private void createApp(HttpExchange exchange) throws IOException {
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    String name = body.path("name").asText("generated-app-1234");
    if (!APP_NAME.matcher(name).matches()) {
      problem(exchange, 422, "invalid", "invalid app name '" + name + "'");
      return;
    }
    if (apps.containsKey(name)) {
      problem(exchange, 409, "conflict", "app '" + name + "' already exists");
      return;
    }
    FakeApp app = new FakeApp(name);
    apps.put(name, app);
    json(exchange, 201, appJson(app));
  }

  private void patchConfig(HttpExchange exchange, FakeApp app) throws IOException {
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (e.getKey().equals("PORT")) {
        problem(exchange, 422, "invalid", "PORT is reserved");
        return;
      }
      if (e.getValue().isNull()) {
        app.config.remove(e.getKey());
      } else {
        app.config.put(e.getKey(), e.getValue().asText());
      }
    }
    if (app.release != null) {
      app.release++;
    }
    ObjectNode result = JSON.createObjectNode();
    result.set("config", JSON.valueToTree(app.config));
    if (app.release == null) {
      result.putNull("release");
    } else {
      result.put("release", app.release);
    }
    json(exchange, 200, result);
  }

  private ArrayNode instances(FakeApp app) {
    ArrayNode list = JSON.createArrayNode();
    app.formation.forEach((type, count) -> {
      for (int i = 1; i <= count; i++) {
        ObjectNode instance = list.addObject();
        instance.put("name", type + "." + i);
        instance.put("type", type);
        instance.put("state", "up");
        instance.put("release", app.release);
        instance.put("command", app.processes.get(type));
        instance.put("started_at", "2026-11-27T05:31:00Z");
        instance.put("uptime_seconds", 42);
        instance.put("restarts", 0);
      }
    });
    return list;
  }

  private void patchFormation(HttpExchange exchange, FakeApp app) throws IOException {
    if (app.release == null) {
      problem(exchange, 409, "conflict", "app '" + app.name + "' has not been deployed yet");
      return;
    }
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (!app.processes.containsKey(e.getKey())) {
        problem(exchange, 422, "invalid", "release v" + app.release + " has no process type '" + e.getKey() + "'");
        return;
      }
    }
    body.properties().forEach(e -> app.formation.put(e.getKey(), e.getValue().asInt()));
    json(exchange, 200, JSON.valueToTree(app.formation));
  }

  private void restart(HttpExchange exchange, FakeApp app) throws IOException {
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    ArrayNode restarted = JSON.createArrayNode();
    for (JsonNode instance : instances(app)) {
      String name = instance.get("name").asText();
      boolean all = !body.has("type") && !body.has("instance");
      if (all || instance.get("type").asText().equals(body.path("type").asText())
          || name.equals(body.path("instance").asText())) {
        restarted.add(name);
      }
    }
    ObjectNode result = JSON.createObjectNode();
    result.set("restarted", restarted);
    json(exchange, 200, result);
  }

  private void logs(HttpExchange exchange, String query) throws IOException {
    exchange.getResponseHeaders().set("Content-Type",
        query.contains("format=json") ? "application/x-ndjson" : "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, 0);
    OutputStream body = exchange.getResponseBody();
    boolean first = true;
    for (String line : logLines) {
      body.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      body.flush();
      pause(logLineDelayMillis);
      if (first && logsHold != null) {
        await(logsHold);
      }
      first = false;
    }
  }

  private void deploy(HttpExchange exchange, FakeApp app) throws IOException {
    lastUpload = exchange.getRequestBody().readAllBytes();
    exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    exchange.sendResponseHeaders(200, 0);
    OutputStream body = exchange.getResponseBody();
    for (String line : deployOutput) {
      write(body, JSON.createObjectNode().put("type", "output").put("line", line));
    }
    ObjectNode result = JSON.createObjectNode().put("type", "result");
    if (deployFailure == null) {
      app.release = app.release == null ? 1 : app.release + 1;
      result.put("status", "succeeded").put("release", app.release);
    } else {
      result.put("status", "failed").put("error", deployFailure);
    }
    write(body, result);
  }

  private static void write(OutputStream body, JsonNode line) throws IOException {
    body.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
    body.flush();
  }

  private ObjectNode appJson(FakeApp app) {
    ObjectNode json = JSON.createObjectNode();
    json.put("name", app.name);
    json.put("created_at", app.createdAt.toString());
    json.put("web_url", "http://" + app.name + ".localhost:8080/");
    json.put("git_url", url() + "/git/" + app.name + ".git");
    json.put("release", app.release);
    json.set("formation", JSON.valueToTree(app.formation));
    return json;
  }

  private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void problem(HttpExchange exchange, int status, String code, String detail) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "https://pier.dev/problems/" + code.replace('_', '-'));
    body.put("title", code);
    body.put("status", status);
    body.put("detail", detail);
    body.put("code", code);
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void await(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
