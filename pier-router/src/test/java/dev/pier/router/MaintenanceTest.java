package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.model.Backend;
import dev.pier.model.Maintenance;
import dev.pier.model.Route;
import dev.pier.model.SplitBy;
import dev.pier.model.VersionRoute;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Maintenance mode (#10): the router answers every request for the app itself. */
class MaintenanceTest {
  private static final String HOST = "hello.localhost";
  private static final String V2_HOST = "v2.hello.localhost";
  private static final Maintenance PAGE = new Maintenance("<h1>Back soon</h1>\n", 120);

  private RouterHarness harness;
  private TestBackend app;

  @AfterEach
  void stop() throws Exception {
    if (app != null) app.close();
    if (harness != null) harness.close();
  }

  private static Route route(Backend backend, Maintenance maintenance, int percent) {
    return new Route("hello", SplitBy.RANDOM,
        List.of(new VersionRoute(2, percent, List.of(backend))), maintenance);
  }

  @Test
  void inMaintenanceEveryRequestIsAnswered503WithThePageAndNothingReachesAnInstance() throws Exception {
    harness = new RouterHarness(RouterHarness.FAST);
    try (ServerSocket instance = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Backend backend = new Backend("web.1", "127.0.0.1", instance.getLocalPort());
      // the app host and a version URL; one version with no share, one asleep: all answered
      harness.routes(Map.of(HOST, route(backend, PAGE, 100), V2_HOST, route(backend, PAGE, 100),
          "v3.hello.localhost", new Route("hello", SplitBy.RANDOM,
              List.of(new VersionRoute(3, 100, List.of(), true)), PAGE)));
      try (RawClient client = harness.client()) {
        for (String host : List.of(HOST, V2_HOST, "v3.hello.localhost", HOST)) {
          RawClient.Response response = client.get(host, "/orders?id=1");

          assertThat(response.status()).as(host).isEqualTo(503);
          assertThat(response.text()).isEqualTo("<h1>Back soon</h1>\n");
          assertThat(response.header("retry-after")).isEqualTo("120");
          assertThat(response.header("x-router-error")).isEqualTo("maintenance");
          assertThat(response.header("content-type")).startsWith("text/html");
          AccessLogEntry entry = harness.log.next();
          assertThat(entry.error()).isEqualTo(RouterError.MAINTENANCE);
          assertThat(entry.format()).contains("maintenance");
        }
      }
      instance.setSoTimeout(300);
      assertThatThrownBy(instance::accept).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void requestsReachTheInstancesAgainOnceMaintenanceIsOff() throws Exception {
    harness = new RouterHarness(RouterHarness.FAST);
    app = new TestBackend("web.1");
    harness.route(HOST, route(app.backend(), PAGE, 100));
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").status()).isEqualTo(503);

      harness.route(HOST, route(app.backend(), null, 100));

      RawClient.Response response = client.get(HOST, "/");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.instance()).isEqualTo("web.1");
    }
  }

  @Test
  void theBuiltInPageNamesTheApp() {
    Maintenance builtIn = Maintenance.builtIn("hello");

    assertThat(builtIn.page()).contains("Offline for maintenance").contains("hello");
    assertThat(builtIn.retryAfterSeconds()).isEqualTo(Maintenance.DEFAULT_RETRY_AFTER_SECONDS);
  }
}
