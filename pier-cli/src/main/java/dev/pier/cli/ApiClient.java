package dev.pier.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The Pier REST API over HTTP/1.1, as documented in {@code docs/api.md}. Every method either
 * returns the response or throws a {@link CliException} with a sentence for the user: an
 * {@link ApiException} carrying the problem's {@code detail} for error statuses, or "Cannot reach
 * Pier at URL: reason" when no connection can be made.
 */
final class ApiClient {
  /** Plain calls answer quickly; streams (logs, deploys) run as long as the server keeps them. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final Credentials credentials;
  private final HttpClient http;

  ApiClient(Credentials credentials, HttpClient http) {
    this.credentials = credentials;
    this.http = http;
  }

  String baseUrl() {
    return credentials.api();
  }

  JsonNode get(String path) {
    return call(request(path).GET());
  }

  JsonNode post(String path, JsonNode body) {
    return call(request(path).POST(json(body)).header("Content-Type", "application/json"));
  }

  JsonNode put(String path, JsonNode body) {
    return call(request(path).PUT(json(body)).header("Content-Type", "application/json"));
  }

  JsonNode patch(String path, JsonNode body) {
    return call(request(path).method("PATCH", json(body)).header("Content-Type", "application/json"));
  }

  JsonNode delete(String path) {
    return call(request(path).DELETE());
  }

  /**
   * GETs a streamed text response and hands each line to {@code onLine} as soon as it arrives,
   * until the server ends the response.
   */
  void getLines(String path, Consumer<String> onLine) {
    stream(request(path).GET(), onLine);
  }

  /** POSTs a file and hands each line of the streamed response to {@code onLine} as it arrives. */
  void postFileLines(String path, Path file, String contentType, Consumer<String> onLine) {
    BodyPublisher body;
    try {
      body = BodyPublishers.ofFile(file);
    } catch (FileNotFoundException e) {
      throw new CliException("Cannot read " + file + ": " + e.getMessage());
    }
    stream(request(path).POST(body).header("Content-Type", contentType), onLine);
  }

  /**
   * Sends a JSON body with {@code method} (POST, PUT) and hands each line of the streamed
   * response to {@code onLine} as it arrives, as the NDJSON operations (rollback, traffic) answer.
   */
  void sendJsonLines(String method, String path, JsonNode body, Consumer<String> onLine) {
    stream(request(path).method(method, json(body)).header("Content-Type", "application/json"), onLine);
  }

  /**
   * Opens a WebSocket to {@code path} (the API URL with {@code ws}/{@code wss}), authenticated
   * like every call; a refused upgrade is reported as the API's problem.
   */
  java.net.http.WebSocket webSocket(String path, java.net.http.WebSocket.Listener listener) {
    String base = credentials.api().replaceFirst("^http", "ws");
    try {
      return http.newWebSocketBuilder()
          .header("Authorization", "Bearer " + credentials.token())
          .connectTimeout(CALL_TIMEOUT)
          .buildAsync(URI.create(base + path), listener)
          .join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
        Object body = refused.getResponse().body();
        throw problem(refused.getResponse().statusCode(),
            body instanceof byte[] bytes ? bytes : String.valueOf(body == null ? "" : body).getBytes(StandardCharsets.UTF_8));
      }
      throw new CliException("Cannot connect to " + base + path + ": " + e.getCause());
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(credentials.api() + path))
        .header("Authorization", "Bearer " + credentials.token())
        .header("Accept", "application/json")
        .header("User-Agent", "pier-cli");
  }

  private static BodyPublisher json(JsonNode body) {
    try {
      return BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body), StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode call(HttpRequest.Builder builder) {
    HttpResponse<byte[]> response = send(builder.timeout(CALL_TIMEOUT).build(), BodyHandlers.ofByteArray());
    if (response.statusCode() / 100 != 2) {
      throw problem(response.statusCode(), response.body());
    }
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new CliException("Unexpected response from Pier: " + e.getMessage());
    }
  }

  private void stream(HttpRequest.Builder builder, Consumer<String> onLine) {
    HttpResponse<InputStream> response = send(builder.build(), BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() / 100 != 2) {
        throw problem(response.statusCode(), body.readAllBytes());
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        onLine.accept(line);
      }
    } catch (IOException e) {
      throw new CliException("Lost the connection to Pier at " + credentials.api() + ": " + e.getMessage());
    }
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
      throw unreachable(e);
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException || e.getCause() instanceof UnresolvedAddressException) {
        throw unreachable(e.getCause());
      }
      throw new CliException("Lost the connection to Pier at " + credentials.api() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("Interrupted");
    }
  }

  private CliException unreachable(Throwable cause) {
    String reason =
        cause instanceof HttpConnectTimeoutException
            ? "connection timed out"
            : cause instanceof UnresolvedAddressException
                ? "unknown host"
                : cause.getMessage() == null ? "connection refused" : cause.getMessage();
    return new CliException("Cannot reach Pier at " + credentials.api() + ": " + reason);
  }

  /** Turns an error response into the user's sentence: the problem's detail when there is one. */
  static ApiException problem(int status, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    JsonNode json = Json.parseOrNull(text);
    if (json != null && json.hasNonNull("detail")) {
      return new ApiException(status, json.path("code").asText(""), json.get("detail").asText());
    }
    String shown = text.strip();
    if (shown.length() > 200) {
      shown = shown.substring(0, 200) + "...";
    }
    return new ApiException(status, "", "HTTP " + status + (shown.isEmpty() ? "" : ": " + shown));
  }
}
