package dev.pier.routersettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.pier.app.AppService;
import dev.pier.deploy.Platform;
import dev.pier.errors.PlatformException;
import dev.pier.model.AppName;
import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import dev.pier.model.VersionRoute;
import dev.pier.router.RouterConfig;
import dev.pier.router.RouterServer;
import dev.pier.routing.RoutePublisher;
import dev.pier.store.DataDirs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Router settings end to end on the server side: stored per app, published on the app's routes
 * by the real {@link RoutePublisher} to a real {@link RouterServer} with the production defaults
 * (30 s request timeout), and applied by it to real requests. The apps' instances are fakes, so
 * the published table is pointed at one real slow HTTP server that answers after 3 s.
 */
class RouterSettingsTest {
  @TempDir java.nio.file.Path tmp;
  private Platform p;
  private RouterServer router;
  private HttpServer slowApp;
  private RouterSettingsService settings;

  @BeforeEach
  void start() throws Exception {
    p = new Platform(tmp);
    slowApp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    slowApp.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    slowApp.createContext("/", ex -> {
      try {
        if (!ex.getRequestURI().getPath().equals("/fast")) Thread.sleep(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = "slow answer".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    slowApp.start();
    RouterConfig production = RouterConfig.defaults(0);
    router = new RouterServer(new RouterConfig("127.0.0.1", 0, production.connectTimeout(),
        production.responseTimeout(), production.idleTimeout()), entry -> {});
    router.start();
    AppService apps = new AppService(p.apps, new DataDirs(tmp.resolve("data")), p.logs, p.clock,
        new AppService.Urls("pier.test", router.port(), "http://127.0.0.1:5000"));
    RoutePublisher routes = new RoutePublisher(apps, p.runtime, p.versions, p.processes,
        table -> router.routes(toSlowApp(table)));
    apps.wire(p.processes, routes);
    settings = new RouterSettingsService(new RouterSettingsStore(p.db),
        new RouterDefaults(router.config()), routes::publish);
    routes.limits(settings::limits);
    p.app("hasty");
    p.app("patient");
  }

  /** Releases both apps and starts their (fake) web instances. */
  private void deployBoth() throws Exception {
    for (String name : List.of("hasty", "patient")) {
      var app = p.apps.find(new AppName(name)).orElseThrow();
      p.live(app, p.webRelease(app));
      p.processes.awaitSettled(app);
    }
  }

  @AfterEach
  void stop() {
    router.close();
    slowApp.stop(0);
    p.close();
  }

  /** Every instance of the published table is the real slow app. */
  private RouteTable toSlowApp(RouteTable table) {
    Backend real = new Backend("web.1", "127.0.0.1", slowApp.getAddress().getPort());
    Map<String, Route> byHost = new HashMap<>();
    table.byHost().forEach((host, r) -> byHost.put(host, new Route(r.app(), r.splitBy(),
        r.versions().stream().map(v -> new VersionRoute(v.version(), v.percent(),
            v.backends().isEmpty() ? List.of() : List.of(real), v.hold())).toList(),
        r.maintenance(), r.limits())));
    return new RouteTable(byHost);
  }

  @Test
  void appsOwnRequestTimeoutGives504AfterItWhileAnotherAppKeepsTheDefault() throws Exception {
    deployBoth();
    settings.set(new AppName("hasty"), Map.of("request-timeout", "2s"));
    assertThat(get("hasty.pier.test", "/fast")[0]).isEqualTo("HTTP/1.1 200 OK"); // warm

    CompletableFuture<String[]> patient = CompletableFuture.supplyAsync(() -> get("patient.pier.test", "/"));
    long start = System.nanoTime();
    String[] hasty = get("hasty.pier.test", "/");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(hasty[0]).isEqualTo("HTTP/1.1 504 Gateway Timeout");
    assertThat(hasty[1]).containsIgnoringCase("x-router-error: response_timeout");
    assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(2900));
    assertThat(patient.get()[0]).isEqualTo("HTTP/1.1 200 OK"); // 3 s: within the default 30 s
  }

  @Test
  void settingsAreShownWithDefaultsAndSurviveANewService() {
    AppName hasty = new AppName("hasty");
    settings.set(hasty, Map.of("request-timeout", "60s", "max-body", "50MB"));

    var again = new RouterSettingsService(new RouterSettingsStore(p.db),
        new RouterDefaults(router.config()), () -> {});
    Map<RouterSetting, RouterSettingsService.View> views = new HashMap<>();
    again.view(hasty).forEach(v -> views.put(v.setting(), v));
    assertThat(views.get(RouterSetting.REQUEST_TIMEOUT))
        .isEqualTo(new RouterSettingsService.View(RouterSetting.REQUEST_TIMEOUT, 60_000L, 30_000L, true));
    assertThat(views.get(RouterSetting.MAX_BODY).value()).isEqualTo(50L << 20);
    assertThat(views.get(RouterSetting.IDLE_TIMEOUT))
        .isEqualTo(new RouterSettingsService.View(RouterSetting.IDLE_TIMEOUT, 90_000L, 90_000L, false));
    assertThat(views.get(RouterSetting.HEADER_TIMEOUT).value()).isEqualTo(10_000L);
    assertThat(again.limits().get("hasty").requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(again.limits()).doesNotContainKey("patient");

    again.reset(hasty, List.of("request-timeout"));
    assertThat(again.limits().get("hasty").requestTimeout()).isNull();
    assertThat(again.limits().get("hasty").maxBodyBytes()).isEqualTo(50L << 20);
  }

  @Test
  void badValuesAreRefusedWithTheAllowedRangeAndNothingIsStored() {
    AppName hasty = new AppName("hasty");
    assertThatThrownBy(() -> settings.set(hasty, Map.of("idle-timeout", "30s", "request-timeout", "2h")))
        .isInstanceOf(PlatformException.class)
        .hasMessage("request-timeout must be from 1s to 1h, not 2h");
    assertThatThrownBy(() -> settings.set(hasty, Map.of("max-body", "lots")))
        .hasMessageContaining("max-body must be a size like 1024, 512KB, 50MB or 1GB (allowed: 1KB to 100GB)");
    assertThatThrownBy(() -> settings.set(hasty, Map.of("request-timeout", "30")))
        .hasMessageContaining("a duration like 500ms, 60s, 2m or 1h");
    assertThatThrownBy(() -> settings.set(hasty, Map.of("header-timeout", "20s")))
        .hasMessageStartingWith("header-timeout is router-wide");
    assertThatThrownBy(() -> settings.set(hasty, Map.of("timeout", "20s")))
        .hasMessage("unknown router setting 'timeout'; settable per app: request-timeout, max-body,"
            + " idle-timeout, tunnel-idle-timeout");
    assertThat(settings.limits()).isEmpty();
  }

  /** The status line and the header block of a GET of {@code path} to the router for {@code host}. */
  private String[] get(String host, String path) {
    try (Socket s = new Socket("127.0.0.1", router.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      String status = in.readLine();
      StringBuilder headers = new StringBuilder();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        headers.append(line).append('\n');
      }
      return new String[] {status, headers.toString()};
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
