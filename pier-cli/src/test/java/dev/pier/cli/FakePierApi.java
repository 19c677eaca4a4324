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
  static final String CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
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
    String splitBy = "random";
    /** The app's settings PATCH /apps/APP changes: readiness_path, boot_timeout_seconds. */
    final ObjectNode settings = JSON.createObjectNode();
    /** What ps says each instance runs: null gives "v" + release, "" leaves the field out. */
    String instanceVersion;
    /** Fields that replace those of one instance in ps, by instance name ("web.1"). */
    final Map<String, ObjectNode> instanceFields = new LinkedHashMap<>();
    /** Instances of other running versions, listed by ps after the formation's. */
    final List<ObjectNode> otherVersionInstances = new ArrayList<>();
    int retentionDays = 7;
    final List<ObjectNode> drains = new ArrayList<>();
    int nextDrainId = 1;
    /** The autoscaled types as GET autoscale lists them, by type. */
    final Map<String, ObjectNode> autoscale = new LinkedHashMap<>();
    /** Each process type's instance size; types not listed have none ("default", as the server says). */
    final Map<String, String> sizes = new LinkedHashMap<>();

    /** #10: whether the app is in maintenance mode. */
    boolean maintenance;
    /** #12: the app's own router settings, by key ("request-timeout" to "60s"). */
    final Map<String, String> routerSettings = new LinkedHashMap<>();
    /** #12: the app's enabled features. */
    final java.util.Set<String> features = new java.util.TreeSet<>();
    /** #12: the app's custom domains. */
    final java.util.List<String> domains = new java.util.ArrayList<>();
    final List<ObjectNode> certs = new java.util.ArrayList<>();
    boolean autoCerts; // #12 certs:auto:enable

    /** #10 pipelines: the app's pipeline and stage (null: in none), as GET info shows them. */
    String pipeline;
    String stage;

    /** #10 branch previews. */
    final FakePreviews previews = new FakePreviews();

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
  /** When true, a deploy stream ends after its output, without a result line. */
  volatile boolean dropDeployResult;
  /** The output lines of rollbacks and traffic changes. */
  volatile List<String> operationOutput = List.of("-----> Starting instances", "-----> Moving traffic");
  /** When set, rollbacks and traffic changes end with this error. */
  volatile String operationFailure;
  /** The JSON body of the last request that sent one. */
  volatile JsonNode lastBody;
  volatile List<String> logLines = List.of();
  /** The stored log entries logs/search looks in, oldest first (as docs/api.md's entry objects). */
  volatile List<ObjectNode> storedLogs = List.of();
  /** What GET metrics answers; null answers an empty range. */
  volatile JsonNode metrics;
  /** What GET /doctor answers. */
  volatile JsonNode doctor = JSON.createObjectNode().put("ok", true)
      .<com.fasterxml.jackson.databind.node.ObjectNode>set("at_start", JSON.createArrayNode())
      .set("now", JSON.createArrayNode());

  /** When true, GET formation/sizes answers 404, as servers before instance sizes do. */
  volatile boolean sizesUnavailable;

  /** What GET transactions answers. */
  volatile JsonNode transactions = JSON.createArrayNode();
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
      release.put("state", v == 3 ? "current" : "stopped");
      release.put("percent", v == 3 ? 100 : 0);
      release.put("running", v == 3);
      release.put("instances", v == 3 ? 1 : 0);
      release.put("slug_available", true);
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
    if (path.equals("/account") && method.equals("GET")) { // #10 whoami
      json(exchange, 200, JSON.createObjectNode().put("user", "admin").put("api", url()));
      return;
    }
    if (path.equals("/certs/ca") && method.equals("GET")) { // #12 certs:ca
      json(exchange, 200, JSON.createObjectNode().put("pem", CA_PEM).put("subject", "CN=Pier local CA"));
      return;
    }
    if (path.equals("/doctor") && method.equals("GET")) {
      json(exchange, 200, doctor);
      return;
    }
    if (path.equals("/pipelines") && method.equals("POST")) { // #10 pipelines: echoes the pipeline created
      ObjectNode pipeline = ((ObjectNode) requestBody(exchange)).deepCopy();
      json(exchange, 201, pipeline.put("created_at", "2026-11-27T05:30:09Z"));
      return;
    }
    if (parts[0].equals("addons") || parts[0].equals("addon-plans")) { // #11 add-ons
      addons(exchange, method, parts, query);
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
    if (method.equals("GET") && rest.startsWith("releases/")) {
      releaseInfo(exchange, app, rest.substring("releases/".length()));
      return;
    }
    if (rest.equals("rollback-data") && method.equals("POST")) { // #11 rollback --with-data
      JsonNode body = requestBody(exchange);
      rollbackData.add(body.toString());
      json(exchange, 200, JSON.createObjectNode().put("restored", true));
      return;
    }
    if (rest.equals("addons")) { // #11 add-ons of an app, or create one
      appAddons(exchange, app, method);
      return;
    }
    if (rest.equals("domains") || rest.startsWith("domains/")) { // #12
      domains(exchange, app, method, rest);
      return;
    }
    if (rest.equals("features") || rest.startsWith("features/")) { // #12 features
      features(exchange, app, method, rest);
      return;
    }
    if (rest.equals("router-settings") || rest.startsWith("router-settings/")) { // #12
      routerSettings(exchange, app, method, rest);
      return;
    }
    if (rest.equals("certs") || rest.startsWith("certs/")) { // #12 HTTPS certificates
      certs(exchange, app, method, rest);
      return;
    }
    if (method.equals("POST") && rest.matches("versions/[^/]+/(stop|start)")) {
      String[] segments = rest.split("/");
      changeVersion(exchange, app, segments[1], segments[2]);
      return;
    }
    if ((method.equals("PUT") || method.equals("DELETE")) && rest.matches("autoscale/[^/]+")) {
      autoscale(exchange, app, method, rest.substring("autoscale/".length()), query);
      return;
    }
    if (method.equals("DELETE") && rest.matches("drains/[^/]+")) {
      removeDrain(exchange, app, rest.substring("drains/".length()));
      return;
    }
    if (rest.equals("previews") || rest.startsWith("previews/") || rest.equals("preview-settings")) { // #10
      JsonNode body = method.equals("GET") || method.equals("DELETE") ? JSON.createObjectNode() : requestBody(exchange);
      FakePreviews.Answer a = app.previews.answer(method, rest, body);
      if (a == null) problem(exchange, 404, "not_found", "no route " + method + " " + path);
      else if (a.status() >= 400) problem(exchange, a.status(), a.status() == 404 ? "not_found" : "invalid", a.body().path("detail").asText());
      else json(exchange, a.status(), a.body());
      return;
    }
    switch (method + " " + rest) {
      case "GET " -> json(exchange, 200, appJson(app));
      case "PATCH " -> {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        JsonNode boot = body.path("boot_timeout_seconds");
        if (boot.isInt() && (boot.asInt() < 1 || boot.asInt() > 900)) {
          problem(exchange, 422, "invalid", "boot_timeout_seconds must be from 1 to 900, got " + boot.asInt());
          return;
        }
        body.fields().forEachRemaining(e -> app.settings.set(e.getKey(), e.getValue()));
        json(exchange, 200, appJson(app));
      }
      case "DELETE " -> {
        apps.remove(app.name);
        json(exchange, 200, JSON.createObjectNode().put("deleted", app.name));
      }
      // #10 maintenance mode
      case "GET maintenance" -> json(exchange, 200, JSON.createObjectNode().put("app", app.name).put("maintenance", app.maintenance));
      case "PUT maintenance" -> {
        JsonNode on = requestBody(exchange).path("maintenance");
        if (!on.isBoolean()) {
          problem(exchange, 422, "invalid", "maintenance must be true or false");
          return;
        }
        app.maintenance = on.asBoolean();
        json(exchange, 200, JSON.createObjectNode().put("app", app.name).put("maintenance", app.maintenance));
      }
      case "GET info" -> json(exchange, 200, appInfoJson(app)); // #10 apps:info
      case "GET config" -> json(exchange, 200, JSON.valueToTree(app.config));
      case "PATCH config" -> patchConfig(exchange, app);
      case "GET ps" -> json(exchange, 200, instances(app));
      case "GET formation" -> json(exchange, 200, JSON.valueToTree(app.formation));
      case "PATCH formation" -> patchFormation(exchange, app);
      case "GET formation/sizes" -> {
        if (sizesUnavailable) problem(exchange, 404, "not_found", "no such endpoint");
        else json(exchange, 200, sizes(app));
      }
      case "GET autoscale" -> json(exchange, 200, JSON.valueToTree(app.autoscale.values()));
      case "POST ps/restart" -> restart(exchange, app);
      case "GET releases" -> json(exchange, 200, JSON.valueToTree(app.releases));
      case "GET logs" -> logs(exchange, query);
      case "GET logs/search" -> searchLogs(exchange, query);
      case "GET logs/retention" -> json(exchange, 200, JSON.createObjectNode().put("days", app.retentionDays));
      case "PUT logs/retention" -> setRetention(exchange, app);
      case "GET drains" -> json(exchange, 200, JSON.valueToTree(app.drains));
      case "POST drains" -> addDrain(exchange, app);
      case "GET metrics" -> json(exchange, 200, metrics != null ? metrics
          : JSON.createObjectNode().put("resolution_seconds", 10).set("points", JSON.createArrayNode()));
      case "GET transactions" -> json(exchange, 200, transactions);
      case "POST deploy" -> deploy(exchange, app, query);
      case "POST rollback" -> rollback(exchange, app);
      case "GET versions" -> versions(exchange, app);
      case "PUT traffic" -> traffic(exchange, app);
      case "POST traffic/migrate" -> migrate(exchange, app);
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
    ArrayNode notSet = JSON.createArrayNode();
    boolean changed = false;
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (e.getKey().equals("PORT")) {
        problem(exchange, 422, "invalid", "PORT is reserved");
        return;
      }
      if (e.getValue().isNull() && !app.config.containsKey(e.getKey())) {
        notSet.add(e.getKey());
      } else if (e.getValue().isNull()) {
        app.config.remove(e.getKey());
        changed = true;
      } else {
        app.config.put(e.getKey(), e.getValue().asText());
        changed = true;
      }
    }
    Integer release = changed && app.release != null ? ++app.release : null;
    ObjectNode result = JSON.createObjectNode();
    result.set("not_set", notSet);
    result.set("config", JSON.valueToTree(app.config));
    if (release == null) {
      result.putNull("release");
    } else {
      result.put("release", release);
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
        if (app.instanceVersion == null) {
          instance.put("version", "v" + app.release);
        } else if (!app.instanceVersion.isEmpty()) {
          instance.put("version", app.instanceVersion);
        }
        instance.put("command", app.processes.get(type));
        instance.put("started_at", "2026-11-27T05:31:00Z");
        instance.put("uptime_seconds", 42);
        instance.put("restarts", 0);
        ObjectNode fields = app.instanceFields.get(type + "." + i);
        if (fields != null) instance.setAll(fields);
      }
    });
    app.otherVersionInstances.forEach(list::add);
    return list;
  }

  private void patchFormation(HttpExchange exchange, FakeApp app) throws IOException {
    if (app.release == null) {
      problem(exchange, 409, "conflict", "app '" + app.name + "' has not been deployed yet");
      return;
    }
    JsonNode body = requestBody(exchange);
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (!app.processes.containsKey(e.getKey())) {
        problem(exchange, 422, "invalid", "release v" + app.release + " has no process type '" + e.getKey() + "'");
        return;
      }
      String size = e.getValue().path("size").asText("standard-1x");
      if (!SIZES.containsKey(size)) {
        problem(exchange, 422, "invalid", "unknown size '" + size + "': use basic, standard-1x, standard-2x or performance-m");
        return;
      }
    }
    body.properties().forEach(e -> {
      if (e.getValue().isObject()) {
        app.sizes.put(e.getKey(), e.getValue().get("size").asText());
      } else {
        app.formation.put(e.getKey(), e.getValue().asInt());
      }
    });
    json(exchange, 200, JSON.valueToTree(app.formation));
  }

  /** The instance sizes: memory in MB and CPUs. */
  static final Map<String, double[]> SIZES = Map.of(
      "basic", new double[] {256, 0.25}, "standard-1x", new double[] {512, 0.5},
      "standard-2x", new double[] {1024, 1}, "performance-m", new double[] {2048, 2});

  private ObjectNode sizes(FakeApp app) {
    ObjectNode sizes = JSON.createObjectNode();
    app.processes.keySet().forEach(type -> {
      String size = app.sizes.getOrDefault(type, "default");
      if (size.equals("default")) {
        sizes.putObject(type).put("size", "default").put("memory_mb", 512).putNull("cpus");
        return;
      }
      sizes.putObject(type).put("size", size).put("memory_mb", (int) SIZES.get(size)[0]).put("cpus", SIZES.get(size)[1]);
    });
    return sizes;
  }

  /** PUT stores the settings as GET autoscale shows them; DELETE sets the count given or keeps it. */
  private void autoscale(HttpExchange exchange, FakeApp app, String method, String type, String query)
      throws IOException {
    if (!app.processes.containsKey(type)) {
      requestBody(exchange);
      problem(exchange, 422, "invalid", "release v" + app.release + " has no process type '" + type + "'");
      return;
    }
    if (method.equals("DELETE")) {
      if (app.autoscale.remove(type) == null) {
        problem(exchange, 404, "not_found", type + " of " + app.name + " does not autoscale");
        return;
      }
      String count = params(query).get("count");
      if (count != null) {
        app.formation.put(type, Integer.parseInt(count));
      }
      json(exchange, 200, JSON.createObjectNode().put("type", type).put("count", app.formation.get(type)));
      return;
    }
    JsonNode body = requestBody(exchange);
    if (body.path("max").asInt() > 100) {
      problem(exchange, 422, "invalid", "max must be between 1 and 100, got " + body.path("max").asInt());
      return;
    }
    ObjectNode status = JSON.createObjectNode().put("type", type).put("min", body.path("min").asInt(0))
        .put("max", body.path("max").asInt());
    String metric = "concurrency";
    double target = 100;
    for (String name : List.of("concurrency", "rps", "cpu")) {
      if (body.has("target_" + name)) {
        metric = name;
        target = body.get("target_" + name).asDouble();
      }
    }
    status.put("metric", metric).put("target", target)
        .put("stable_window_seconds", body.path("stable_window_seconds").asInt(60))
        .put("scale_down_delay_seconds", body.path("scale_down_delay_seconds").asInt(0))
        .put("idle_seconds", body.path("idle_seconds").asInt(300));
    status.putArray("versions");
    app.autoscale.put(type, status);
    json(exchange, 200, status);
  }

  private void restart(HttpExchange exchange, FakeApp app) throws IOException {
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    ArrayNode restarted = JSON.createArrayNode();
    for (JsonNode instance : instances(app)) {
      String name = instance.get("name").asText();
      boolean all = !body.has("type") && !body.has("instance");
      String qualified = name + "@" + instance.path("version").asText();
      if (all || instance.get("type").asText().equals(body.path("type").asText())
          || name.equals(body.path("instance").asText()) || qualified.equals(body.path("instance").asText())) {
        restarted.add(body.path("instance").asText().contains("@") ? qualified : name);
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

  /** Adds an entry to {@link #storedLogs} as the log store would hold it. */
  static ObjectNode logEntry(String time, String source, String instance, String text) {
    String origin = source.equals("app") ? "app[" + instance + "]"
        : source.equals("router") ? "pier[router]" : "pier[" + instance + "]";
    return JSON.createObjectNode().put("time", time).put("source", source).put("instance", instance)
        .put("kind", source).put("text", text).put("line", time + " " + origin + ": " + text);
  }

  /** Matches like the API: all words and "quoted phrases" of q, case-insensitive; newest first. */
  private void searchLogs(HttpExchange exchange, String query) throws IOException {
    Map<String, String> params = params(query);
    List<String> terms = new ArrayList<>();
    java.util.regex.Matcher term = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(params.getOrDefault("q", ""));
    while (term.find()) {
      terms.add((term.group(1) != null ? term.group(1) : term.group(2)).toLowerCase(java.util.Locale.ROOT));
    }
    int limit = Integer.parseInt(params.getOrDefault("limit", "100"));
    ArrayNode found = JSON.createArrayNode();
    List<ObjectNode> stored = new ArrayList<>(storedLogs);
    Collections.reverse(stored);
    for (ObjectNode entry : stored) {
      String text = entry.get("text").asText().toLowerCase(java.util.Locale.ROOT);
      boolean matches = terms.stream().allMatch(text::contains)
          && (!params.containsKey("source") || params.get("source").equals(entry.get("source").asText()))
          && (!params.containsKey("instance") || params.get("instance").equals(entry.get("instance").asText()));
      if (matches && found.size() < limit) {
        found.add(entry);
      }
    }
    json(exchange, 200, found);
  }

  /** Decodes a raw query string into its parameters. */
  static Map<String, String> params(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      params.put(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private void setRetention(HttpExchange exchange, FakeApp app) throws IOException {
    int days = requestBody(exchange).path("days").asInt();
    if (days < 1 || days > 365) {
      problem(exchange, 422, "invalid", "retention must be 1 to 365 days");
      return;
    }
    app.retentionDays = days;
    json(exchange, 200, JSON.createObjectNode().put("days", days));
  }

  private void addDrain(HttpExchange exchange, FakeApp app) throws IOException {
    String url = requestBody(exchange).path("url").asText();
    synchronized (app.drains) {
      if (app.drains.stream().anyMatch(d -> d.get("url").asText().equals(url))) {
        problem(exchange, 409, "conflict", "app '" + app.name + "' already drains to " + url);
        return;
      }
      ObjectNode drain = JSON.createObjectNode().put("id", app.nextDrainId++).put("url", url)
          .put("created_at", "2026-11-27T05:40:00Z").put("sent", 0).put("dropped", 0).put("failures", 0);
      drain.putNull("last_error");
      app.drains.add(drain);
      json(exchange, 201, drain);
    }
  }

  private void removeDrain(HttpExchange exchange, FakeApp app, String id) throws IOException {
    synchronized (app.drains) {
      boolean removed = app.drains.removeIf(d -> d.get("id").asText().equals(id));
      if (!removed) {
        problem(exchange, 404, "not_found", "drain " + id + " of app '" + app.name + "' not found");
        return;
      }
      json(exchange, 200, JSON.createObjectNode().put("deleted", Integer.parseInt(id)));
    }
  }

  private void deploy(HttpExchange exchange, FakeApp app, String query) throws IOException {
    lastUpload = exchange.getRequestBody().readAllBytes();
    exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    exchange.sendResponseHeaders(200, 0);
    OutputStream body = exchange.getResponseBody();
    for (String line : deployOutput) {
      write(body, JSON.createObjectNode().put("type", "output").put("line", line));
    }
    if (dropDeployResult) {
      return;
    }
    ObjectNode result = JSON.createObjectNode().put("type", "result");
    if (deployFailure == null) {
      boolean promote = !query.contains("promote=false");
      int version = app.releases.isEmpty() ? 1 : app.releases.get(0).get("version").asInt() + 1;
      ObjectNode release = JSON.createObjectNode();
      release.put("version", version);
      release.put("description", "Deploy 9f8e7d6");
      release.put("created_at", "2026-11-27T05:40:00Z");
      release.put("created_by", "admin");
      release.putObject("processes").put("web", "npm start");
      release.put("percent", 0);
      release.put("running", true);
      release.put("instances", 1);
      release.put("slug_available", true);
      release.put("current", false);
      release.put("state", "running");
      app.releases.add(0, release);
      if (promote) {
        promote(app, release);
      }
      result.put("status", "succeeded").put("release", version);
    } else {
      result.put("status", "failed").put("error", deployFailure);
    }
    write(body, result);
  }

  /** Makes {@code release} the current one with all the traffic; the old current one stops. */
  private static void promote(FakeApp app, ObjectNode release) {
    for (ObjectNode other : app.releases) {
      if (other != release && other.path("current").asBoolean()) {
        other.put("current", false).put("state", "stopped").put("percent", 0).put("running", false).put("instances", 0);
      }
    }
    release.put("current", true).put("state", "current").put("percent", 100).put("running", true).put("instances", 1);
    app.release = release.get("version").asInt();
  }

  private static ObjectNode findRelease(FakeApp app, String version) {
    String number = version.startsWith("v") ? version.substring(1) : version;
    for (ObjectNode release : app.releases) {
      if (release.get("version").asText().equals(number)) {
        return release;
      }
    }
    return null;
  }

  private void releaseInfo(HttpExchange exchange, FakeApp app, String version) throws IOException {
    ObjectNode release = findRelease(app, version);
    if (release == null) {
      problem(exchange, 404, "not_found", "release '" + version + "' of app '" + app.name + "' not found");
      return;
    }
    ObjectNode info = release.deepCopy();
    info.set("config_keys", JSON.valueToTree(app.config.keySet()));
    info.put("version_url", "http://v" + release.get("version").asInt() + "." + app.name + ".localhost:8080/");
    json(exchange, 200, info);
  }

  private void changeVersion(HttpExchange exchange, FakeApp app, String version, String action) throws IOException {
    requestBody(exchange);
    ObjectNode release = findRelease(app, version);
    if (release == null) {
      problem(exchange, 404, "not_found", "version v" + version + " of app '" + app.name + "' not found");
      return;
    }
    if (action.equals("stop")) {
      if (release.get("percent").asInt() > 0) {
        problem(exchange, 409, "conflict", "version v" + version + " still has "
            + release.get("percent").asInt() + "% of the traffic; move it first");
        return;
      }
      release.put("state", "stopped").put("running", false).put("instances", 0);
    } else {
      if (!release.get("slug_available").asBoolean() || release.get("state").asText().equals("failed")) {
        problem(exchange, 409, "conflict", "version v" + version + " cannot start: its slug is gone");
        return;
      }
      release.put("running", true).put("instances", 1);
      if (release.get("state").asText().equals("stopped")) {
        release.put("state", "running");
      }
    }
    json(exchange, 200, JSON.createObjectNode().put("version", release.get("version").asInt())
        .put("state", release.get("state").asText()));
  }

  private void rollback(HttpExchange exchange, FakeApp app) throws IOException {
    JsonNode body = requestBody(exchange);
    ObjectNode current = app.releases.stream().filter(r -> r.path("current").asBoolean()).findFirst().orElse(null);
    if (current == null) {
      problem(exchange, 409, "conflict", "app '" + app.name + "' has no release to roll back from");
      return;
    }
    ObjectNode target = body.has("version")
        ? findRelease(app, body.get("version").asText())
        : findRelease(app, String.valueOf(current.get("version").asInt() - 1));
    if (target == null) {
      problem(exchange, 404, "not_found", "release v" + body.path("version").asText() + " not found");
      return;
    }
    if (!target.get("slug_available").asBoolean()) {
      problem(exchange, 409, "conflict", "the slug of v" + target.get("version").asInt() + " is gone");
      return;
    }
    int percent = current.get("percent").asInt();
    streamOperation(exchange, result -> {
      ObjectNode release = target.deepCopy();
      int version = app.releases.get(0).get("version").asInt() + 1;
      release.put("version", version).put("description", "Rollback to v" + target.get("version").asInt());
      app.releases.add(0, release);
      promote(app, release);
      release.put("percent", percent);
      result.put("release", version);
    });
  }

  private void versions(HttpExchange exchange, FakeApp app) throws IOException {
    ArrayNode list = JSON.createArrayNode();
    for (ObjectNode release : app.releases) {
      if (release.get("running").asBoolean() || release.get("percent").asInt() > 0) {
        int version = release.get("version").asInt();
        list.addObject().put("version", version).put("percent", release.get("percent").asInt())
            .put("state", release.get("state").asText()).put("instances", release.get("instances").asInt())
            .put("running", release.get("running").asBoolean())
            .put("version_url", "http://v" + version + "." + app.name + ".localhost:8080/")
            .put("created_at", release.get("created_at").asText())
            .put("description", release.get("description").asText());
      }
    }
    ObjectNode result = JSON.createObjectNode().put("split_by", app.splitBy);
    result.set("versions", list);
    json(exchange, 200, result);
  }

  private void traffic(HttpExchange exchange, FakeApp app) throws IOException {
    JsonNode body = requestBody(exchange);
    int sum = 0;
    for (Map.Entry<String, JsonNode> share : body.path("allocations").properties()) {
      ObjectNode release = findRelease(app, share.getKey());
      if (release == null) {
        problem(exchange, 404, "not_found", "version v" + share.getKey() + " was never built");
        return;
      }
      if (release.get("state").asText().equals("failed")) {
        problem(exchange, 409, "conflict", "version v" + share.getKey() + " failed; it cannot get traffic");
        return;
      }
      sum += share.getValue().asInt();
    }
    if (sum != 100) {
      problem(exchange, 422, "invalid", "shares add up to " + sum + ", not 100");
      return;
    }
    streamOperation(exchange, result -> {
      for (ObjectNode release : app.releases) {
        int percent = body.path("allocations").path(release.get("version").asText()).asInt(0);
        release.put("percent", percent);
        boolean current = release.path("current").asBoolean();
        if (percent > 0) {
          release.put("running", true).put("instances", Math.max(1, release.get("instances").asInt()));
        }
        if (!current && release.get("running").asBoolean()) {
          release.put("state", percent > 0 ? "serving" : "running");
        }
      }
      if (body.has("split_by")) {
        app.splitBy = body.get("split_by").asText();
      }
    });
  }

  private void migrate(HttpExchange exchange, FakeApp app) throws IOException {
    JsonNode body = requestBody(exchange);
    ObjectNode target = findRelease(app, body.path("version").asText());
    if (target == null) {
      problem(exchange, 404, "not_found", "version v" + body.path("version").asText() + " was never built");
      return;
    }
    streamOperation(exchange, result -> promote(app, target));
  }

  /** Streams {@link #operationOutput}, then applies {@code change} and succeeds, or fails with {@link #operationFailure}. */
  private void streamOperation(HttpExchange exchange, java.util.function.Consumer<ObjectNode> change) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    exchange.sendResponseHeaders(200, 0);
    OutputStream body = exchange.getResponseBody();
    for (String line : operationOutput) {
      write(body, JSON.createObjectNode().put("type", "output").put("line", line));
    }
    ObjectNode result = JSON.createObjectNode().put("type", "result");
    if (operationFailure == null) {
      result.put("status", "succeeded");
      change.accept(result);
    } else {
      result.put("status", "failed").put("error", operationFailure);
    }
    write(body, result);
  }

  private JsonNode requestBody(HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readAllBytes();
    JsonNode body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    lastBody = body;
    return body;
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
    json.setAll(app.settings);
    json.put("maintenance", app.maintenance);
    return json;
  }

  /** GET /apps/APP/info as the server answers it (#10). */
  private ObjectNode appInfoJson(FakeApp app) {
    ObjectNode json = JSON.createObjectNode();
    json.put("name", app.name);
    json.put("owner", "admin");
    json.put("created_at", app.createdAt.toString());
    json.put("web_url", "http://" + app.name + ".localhost:8080/");
    json.put("git_url", url() + "/git/" + app.name + ".git");
    json.putArray("buildpacks").add("nodejs");
    json.put("language", "Node.js");
    if (app.releases.isEmpty()) {
      json.putNull("release");
    } else {
      ObjectNode newest = app.releases.get(0);
      json.putObject("release").put("version", newest.path("version").asInt())
          .put("description", newest.path("description").asText())
          .put("created_at", newest.path("created_at").asText())
          .put("created_by", newest.path("created_by").asText());
    }
    com.fasterxml.jackson.databind.node.ArrayNode formation = json.putArray("formation");
    app.formation.forEach((type, quantity) -> formation.addObject().put("type", type).put("quantity", quantity)
        .put("size", app.sizes.getOrDefault(type, "default")));
    json.putArray("domains").add(app.name + ".localhost");
    json.putArray("addons");
    if (app.pipeline == null) json.putNull("pipeline");
    else json.putObject("pipeline").put("name", app.pipeline).put("stage", app.stage);
    json.put("maintenance", app.maintenance);
    return json;
  }

  /** #12: the router's defaults, as the server shows them; header-timeout is router-wide. */
  private static final Map<String, String> ROUTER_DEFAULTS = new LinkedHashMap<>(Map.of(
      "request-timeout", "30s", "max-body", "none", "idle-timeout", "90s",
      "tunnel-idle-timeout", "5m", "header-timeout", "10s"));

  /** #12 features: https-only and hsts, off until enabled; an unknown name is a 404. */
  private void features(HttpExchange exchange, FakeApp app, String method, String rest) throws IOException {
    Map<String, String> known = new LinkedHashMap<>();
    known.put("https-only", "Redirects plain-HTTP requests to HTTPS.");
    known.put("hsts", "Sends Strict-Transport-Security on HTTPS responses.");
    if (method.equals("GET") && rest.equals("features")) {
      ObjectNode body = JSON.createObjectNode().put("app", app.name);
      var list = body.putArray("features");
      known.forEach((k, d) -> list.addObject().put("name", k).put("enabled", app.features.contains(k)).put("description", d));
      json(exchange, 200, body);
      return;
    }
    String name = rest.substring("features/".length());
    if (!known.containsKey(name)) {
      problem(exchange, 404, "not_found", "no such feature '" + name + "'; features: https-only, hsts");
      return;
    }
    if (method.equals("PATCH")) {
      if (requestBody(exchange).path("enabled").asBoolean()) app.features.add(name);
      else app.features.remove(name);
    }
    json(exchange, 200, JSON.createObjectNode().put("name", name).put("enabled", app.features.contains(name))
        .put("description", known.get(name)));
  }

  /** #11 bodies of rollback-data calls; backups by add-on. */
  final List<String> rollbackData = Collections.synchronizedList(new ArrayList<>());
  final Map<String, com.fasterxml.jackson.databind.node.ArrayNode> backups = new LinkedHashMap<>();

  /** #11 add-ons by name, as the server shows them (owner app first in attachments). */
  final Map<String, ObjectNode> addons = new LinkedHashMap<>();

  private static final Map<String, String> ADDON_VARS =
      Map.of("postgres", "DATABASE_URL", "redis", "REDIS_URL", "memcached", "MEMCACHIER_SERVERS", "rabbitmq", "CLOUDAMQP_URL");

  private void appAddons(HttpExchange exchange, FakeApp app, String method) throws IOException {
    if (method.equals("GET")) {
      var list = JSON.createArrayNode();
      synchronized (addons) {
        for (ObjectNode a : addons.values()) {
          for (JsonNode at : a.path("attachments")) if (at.path("app").asText().equals(app.name)) list.add(a);
        }
      }
      json(exchange, 200, list);
      return;
    }
    JsonNode body = requestBody(exchange);
    String kind = body.path("kind").asText();
    if (!ADDON_VARS.containsKey(kind)) {
      problem(exchange, 422, "invalid", "unknown add-on kind '" + kind + "': use one of memcached, postgres, rabbitmq, redis");
      return;
    }
    String name = body.path("name").asText(kind + "-amber-12345");
    synchronized (addons) {
      if (addons.containsKey(name)) {
        problem(exchange, 409, "conflict", "the add-on name " + name + " is already used");
        return;
      }
      ObjectNode a = JSON.createObjectNode().put("name", name).put("kind", kind).put("plan", body.path("plan").asText("small"))
          .put("state", "ready").put("port", 15000 + addons.size()).put("owner_app", app.name).put("created_at", "2026-12-07T20:00:00Z");
      a.putArray("attachments").addObject().put("app", app.name).put("alias", "DATABASE").putArray("config_vars").add(ADDON_VARS.get(kind));
      addons.put(name, a);
      json(exchange, 201, a);
    }
  }

  private void addons(HttpExchange exchange, String method, String[] parts, String query) throws IOException {
    if (parts[0].equals("addon-plans")) {
      ObjectNode all = JSON.createObjectNode();
      all.putArray("postgres").addObject().put("name", "small").put("memory_bytes", 256L << 20).put("max_connections", 20)
          .put("storage_bytes", 1L << 30);
      json(exchange, 200, all);
      return;
    }
    synchronized (addons) {
      if (parts.length == 1) {
        var list = JSON.createArrayNode();
        addons.values().forEach(list::add);
        json(exchange, 200, list);
        return;
      }
      ObjectNode a = addons.get(parts[1]);
      if (a == null) {
        problem(exchange, 404, "not_found", "no add-on named " + parts[1]);
        return;
      }
      if (parts.length == 2 && method.equals("GET")) {
        ObjectNode info = a.deepCopy();
        info.putObject("status").put("state", "running").put("connections", 3).put("data_bytes", 8L << 20)
            .put("version", "PostgreSQL 15.20").put("message", "")
            .put("storage_bytes", 1L << 30).put("storage_enforced", false);
        json(exchange, 200, info);
      } else if (parts.length == 2 && method.equals("DELETE")) {
        if (!query.contains("confirm=" + a.path("owner_app").asText())) {
          problem(exchange, 422, "invalid", "destroying " + parts[1] + " deletes its data: confirm with --confirm "
              + a.path("owner_app").asText());
          return;
        }
        if (a.path("attachments").size() > 1 && !query.contains("force=true")) {
          problem(exchange, 409, "conflict", parts[1] + " is also attached to other apps: detach it there first, or destroy it anyway with --force");
          return;
        }
        addons.remove(parts[1]);
        json(exchange, 200, JSON.createObjectNode().put("name", parts[1]).put("destroyed", true));
      } else if (parts.length >= 3 && (parts[2].equals("backups") || parts[2].equals("backup-schedule"))) {
        var list = backups.computeIfAbsent(parts[1], n -> JSON.createArrayNode());
        if (parts[2].equals("backup-schedule")) {
          ObjectNode schedule = method.equals("PUT") ? (ObjectNode) requestBody(exchange) : JSON.createObjectNode().putNull("at");
          if (!schedule.has("keep")) schedule.put("keep", 5);
          json(exchange, 200, schedule);
        } else if (parts.length == 3 && method.equals("GET")) {
          json(exchange, 200, list);
        } else if (parts.length == 3 && method.equals("POST")) {
          ObjectNode b = list.addObject().put("id", String.format("b%03d", list.size())).put("addon", parts[1])
              .put("state", "done").put("trigger", "manual").put("size_bytes", 2048).put("created_at", "2026-12-07T20:00:00Z");
          json(exchange, 201, b);
        } else if (parts.length == 5 && parts[4].equals("restore")) {
          for (JsonNode b : list) {
            if (b.path("id").asText().equals(parts[3]) || parts[3].equals("latest")) {
              json(exchange, 200, b);
              return;
            }
          }
          problem(exchange, 404, "not_found", "no backup " + parts[3] + " of " + parts[1]);
        }
      } else if (parts.length == 3 && parts[2].equals("rotate") && method.equals("POST")) {
        json(exchange, 200, a);
      } else if (parts.length == 3 && method.equals("POST")) {
        String app = requestBody(exchange).path("app").asText();
        ((com.fasterxml.jackson.databind.node.ArrayNode) a.path("attachments")).addObject().put("app", app)
            .put("alias", "DATABASE").putArray("config_vars").add(ADDON_VARS.get(a.path("kind").asText()));
        json(exchange, 201, a);
      } else if (parts.length == 4 && method.equals("DELETE")) {
        var attachments = (com.fasterxml.jackson.databind.node.ArrayNode) a.path("attachments");
        for (int i = 0; i < attachments.size(); i++) {
          if (attachments.get(i).path("app").asText().equals(parts[3])) {
            attachments.remove(i);
            json(exchange, 200, JSON.createObjectNode().put("detached", true));
            return;
          }
        }
        problem(exchange, 404, "not_found", parts[1] + " is not attached to " + parts[3]);
      } else {
        problem(exchange, 405, "method_not_allowed", method + " " + String.join("/", parts));
      }
    }
  }

  /** #12 custom domains: a domain belongs to one app, as on the server. */
  private void domains(HttpExchange exchange, FakeApp app, String method, String rest) throws IOException {
    if (method.equals("GET") && rest.equals("domains")) {
      var all = JSON.createArrayNode();
      all.addObject().put("hostname", app.name + ".localhost").put("kind", "builtin").put("created_at", "2026-01-01T00:00:00Z");
      for (String d : app.domains) all.addObject().put("hostname", d).put("kind", "custom").put("created_at", "2026-01-02T00:00:00Z");
      json(exchange, 200, all);
    } else if (method.equals("POST") && rest.equals("domains")) {
      String hostname = requestBody(exchange).path("hostname").asText().toLowerCase(java.util.Locale.ROOT);
      for (FakeApp other : apps.values()) {
        if (other.domains.contains(hostname)) {
          problem(exchange, 409, "conflict", hostname + " is already a domain of app " + other.name);
          return;
        }
      }
      app.domains.add(hostname);
      json(exchange, 201, JSON.createObjectNode().put("hostname", hostname).put("kind", "custom"));
    } else if (method.equals("DELETE") && rest.startsWith("domains/")) {
      String hostname = rest.substring("domains/".length());
      if (!app.domains.remove(hostname)) {
        problem(exchange, 404, "not_found", hostname + " is not a domain of " + app.name);
        return;
      }
      json(exchange, 200, JSON.createObjectNode().put("hostname", hostname).put("removed", true));
    } else {
      problem(exchange, 405, "method_not_allowed", method + " " + rest);
    }
  }

  /** Added certificates: names are taken from a "names" field the test puts in the PEM text. */
  private void certs(HttpExchange exchange, FakeApp app, String method, String rest) throws IOException {
    if (rest.equals("certs/auto")) { // #12 automatic certificates (ACME)
      if (method.equals("POST")) app.autoCerts = true;
      if (method.equals("DELETE")) app.autoCerts = false;
      ObjectNode status = JSON.createObjectNode().put("app", app.name).put("enabled", app.autoCerts)
          .put("available", true);
      com.fasterxml.jackson.databind.node.ArrayNode domains = status.putArray("domains");
      if (app.autoCerts) {
        ObjectNode d = domains.addObject().putNull("id");
        d.putArray("names").add("www.example.com");
        d.put("status", "failed").put("source", "acme")
            .put("reason", "challenge failed: 404").put("next_attempt", "2027-01-01T00:05:00Z");
      }
      json(exchange, 200, status);
      return;
    }
    if (method.equals("POST")) {
      JsonNode body = requestBody(exchange);
      if (!body.path("certificate").asText().contains("BEGIN CERTIFICATE")) {
        problem(exchange, 422, "invalid", "certificate refused: no certificate in the PEM file");
        return;
      }
      ObjectNode cert = JSON.createObjectNode().put("id", app.certs.size() + 1);
      cert.putArray("names").add("api." + app.name + ".localhost");
      cert.put("issuer", "CN=Test CA").put("expires", "2027-12-01T00:00:00Z").put("state", "valid")
          .put("source", "uploaded");
      app.certs.add(cert);
      json(exchange, 201, cert);
    } else if (method.equals("GET")) {
      com.fasterxml.jackson.databind.node.ArrayNode list = JSON.createArrayNode();
      app.certs.forEach(list::add);
      if (app.autoCerts) {
        ObjectNode acme = list.addObject().putNull("id");
        acme.putArray("names").add("www.example.com");
        acme.put("issuer", "CN=Pebble Intermediate CA").put("expires", "2027-03-01T00:00:00Z")
            .put("source", "acme").put("status", "issued")
            .put("reason", "renewal failed: rate limited").put("next_attempt", "2027-01-01T00:05:00Z");
      }
      ObjectNode auto = list.addObject().putNull("id");
      auto.putArray("names").add(app.name + ".localhost").add("*." + app.name + ".localhost");
      auto.put("issuer", "pier-ca").put("expires", "2027-12-31T00:00:00Z").put("state", "valid")
          .put("source", "pier-ca");
      json(exchange, 200, list);
    } else if (method.equals("DELETE")) {
      int id = Integer.parseInt(rest.substring("certs/".length()));
      if (!app.certs.removeIf(c -> c.path("id").asInt() == id)) {
        problem(exchange, 404, "not_found", "app " + app.name + " has no certificate " + id);
        return;
      }
      json(exchange, 200, JSON.createObjectNode().put("removed", id));
    }
  }

  private void routerSettings(HttpExchange exchange, FakeApp app, String method, String rest)
      throws IOException {
    if (method.equals("PATCH") && rest.equals("router-settings")) {
      JsonNode body = requestBody(exchange);
      Map<String, String> changes = new LinkedHashMap<>();
      for (var it = body.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!ROUTER_DEFAULTS.containsKey(e.getKey()) || e.getKey().equals("header-timeout")) {
          problem(exchange, 422, "invalid", "unknown router setting '" + e.getKey() + "'");
          return;
        }
        if (e.getKey().equals("request-timeout") && !e.getValue().asText().matches("\\d+s")) {
          problem(exchange, 422, "invalid", "request-timeout must be from 1s to 1h, not "
              + e.getValue().asText());
          return;
        }
        changes.put(e.getKey(), e.getValue().asText());
      }
      app.routerSettings.putAll(changes);
    } else if (method.equals("DELETE") && rest.startsWith("router-settings/")) {
      app.routerSettings.remove(rest.substring("router-settings/".length()));
    } else if (!method.equals("GET")) {
      problem(exchange, 405, "method_not_allowed", method + " " + rest);
      return;
    }
    ObjectNode view = JSON.createObjectNode().put("app", app.name);
    var list = view.putArray("settings");
    ROUTER_DEFAULTS.forEach((key, def) -> {
      String own = app.routerSettings.get(key);
      list.addObject().put("name", key).put("value", own != null ? own : def).put("default", def)
          .put("own", own != null).put("scope", key.equals("header-timeout") ? "router" : "app")
          .put("range", "1s to 1h");
    });
    json(exchange, 200, view);
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
