package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a router for load tests by hand (not a test): {@code RouterBenchMain ROUTER_PORT
 * MAX_IDLE_PER_BACKEND BACKEND_PORT...} routes {@code bench.localhost} to instances on
 * 127.0.0.1 and runs until killed. {@code MAX_IDLE_PER_BACKEND} 0 turns the connection pool off.
 */
public final class RouterBenchMain {
  private RouterBenchMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int maxIdle = Integer.parseInt(args[1]);
    List<Backend> backends = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      backends.add(new Backend("web." + (i - 1), "127.0.0.1", Integer.parseInt(args[i])));
    }
    RouterConfig config = new RouterConfig("127.0.0.1", port, Duration.ofSeconds(5),
        Duration.ofSeconds(30), Duration.ofSeconds(90))
        .withBackendPool(RouterConfig.DEFAULT_BACKEND_IDLE_TIMEOUT, maxIdle);
    RouterServer router = new RouterServer(config, AccessLog.NONE);
    router.start();
    router.routes(new RouteTable(Map.of("bench.localhost", new Route("bench", backends))));
    System.out.println("router on " + router.port() + ", pool " + maxIdle);
    Thread.currentThread().join();
  }
}
