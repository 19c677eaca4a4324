package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of Pier in the middle of addons:create (a real PostgreSQL being made): the next start
 * undoes it before serving, leaving no add-on, no folder, no server on its port and no config
 * var, and the same name can be created again.
 */
class AddonCrashTest {
  private static final int FIRST_PORT = 16_500;
  @TempDir Path tmp;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aCreateCutOffByAKillIsUndoneAtTheNextStartAndCanBeRedone() throws Exception {
    Path data = tmp.resolve("data");
    // Add-on and app uids must be able to traverse to the data directory.
    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    try (ChildServer server = new ChildServer(data, Map.of("PIER_ADDON_PORTS", FIRST_PORT + "-" + (FIRST_PORT + 9),
        "PIER_ROUTER_TLS_PORT", "off"))) {
      start(server);
      assertThat(call(server, "POST", "/apps", "{\"name\":\"crashy\"}").statusCode()).isEqualTo(201);
      CompletableFuture<HttpResponse<String>> create = http.sendAsync(request(server, "POST", "/apps/crashy/addons",
          "{\"kind\":\"postgres\",\"name\":\"crash-db\"}"), HttpResponse.BodyHandlers.ofString());
      Path folder = data.resolve("addons/crash-db");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!Files.exists(folder) && !create.isDone() && System.nanoTime() < deadline) Thread.sleep(20);
      assertThat(create.isDone()).as("killed while the create was under way").isFalse();
      server.kill();

      start(server);

      assertThat(call(server, "GET", "/addons/crash-db", null).statusCode()).isEqualTo(404);
      assertThat(call(server, "GET", "/addons", null).body()).isEqualTo("[]");
      assertThat(folder).doesNotExist();
      assertThat(call(server, "GET", "/apps/crashy/config", null).body()).doesNotContain("DATABASE_URL");
      for (int port = FIRST_PORT; port < FIRST_PORT + 10; port++) {
        assertThat(listening(port)).as("no orphaned server on port " + port).isFalse();
      }

      HttpResponse<String> again = call(server, "POST", "/apps/crashy/addons", "{\"kind\":\"postgres\",\"name\":\"crash-db\"}");
      assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
      assertThat(again.body()).contains("\"state\":\"ready\"");
      assertThat(call(server, "GET", "/apps/crashy/config", null).body()).contains("DATABASE_URL");
    }
  }

  /** Starts it; a start that fails shows the server's log. */
  private static void start(ChildServer server) throws Exception {
    try {
      server.start();
    } catch (AssertionError e) {
      Path log = server.data.resolveSibling("server.log");
      throw new AssertionError(e.getMessage() + ":\n" + (Files.exists(log) ? Files.readString(log) : ""), e);
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private HttpRequest request(ChildServer server, String method, String path, String body) {
    return HttpRequest.newBuilder(URI.create(server.apiUrl() + path))
        .header("Authorization", "Bearer " + PlatformHarness.TOKEN).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(120))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpResponse<String> call(ChildServer server, String method, String path, String body) throws Exception {
    return http.send(request(server, method, path, body), HttpResponse.BodyHandlers.ofString());
  }
}
