package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinTest {
  private final Backend web1 = new Backend("web.1", "127.0.0.1", 5001);
  private final Backend web2 = new Backend("web.2", "127.0.0.1", 5002);
  private final Backend web3 = new Backend("web.3", "127.0.0.1", 5003);
  private final RoundRobin balancer = new RoundRobin();

  @Test
  void backendsTakeTurns() {
    Route route = new Route("hello", List.of(web1, web2, web3));
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < 6; i++) picked.add(balancer.pick(route, null).instance());
    assertThat(picked).containsExactly("web.1", "web.2", "web.3", "web.1", "web.2", "web.3");
  }

  @Test
  void rotationContinuesAcrossRouteSwapsOfTheSameApp() {
    balancer.pick(new Route("hello", List.of(web1, web2)), null);
    assertThat(balancer.pick(new Route("hello", List.of(web1, web2)), null)).isEqualTo(web2);
  }

  @Test
  void appsRotateIndependently() {
    balancer.pick(new Route("hello", List.of(web1, web2)), null);
    assertThat(balancer.pick(new Route("other", List.of(web1, web2)), null)).isEqualTo(web1);
  }

  @Test
  void retryNeverGetsTheFailedBackend() {
    Route route = new Route("hello", List.of(web1, web2));
    for (int i = 0; i < 4; i++) assertThat(balancer.pick(route, web1)).isEqualTo(web2);
  }

  @Test
  void noOtherBackendMeansNull() {
    assertThat(balancer.pick(new Route("hello", List.of(web1)), web1)).isNull();
    assertThat(balancer.pick(new Route("hello", List.of()), null)).isNull();
  }
}
