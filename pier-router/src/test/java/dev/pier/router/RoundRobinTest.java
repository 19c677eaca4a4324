package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import dev.pier.model.VersionRoute;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinTest {
  private final Backend web1 = new Backend("web.1", "127.0.0.1", 5001);
  private final Backend web2 = new Backend("web.2", "127.0.0.1", 5002);
  private final Backend web3 = new Backend("web.3", "127.0.0.1", 5003);
  private final RoundRobin balancer = new RoundRobin();

  private static VersionRoute v(int number, Backend... backends) {
    return new VersionRoute(number, 100, List.of(backends));
  }

  @Test
  void backendsTakeTurns() {
    VersionRoute version = v(1, web1, web2, web3);
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < 6; i++) picked.add(balancer.pick("hello", version, null).instance());
    assertThat(picked).containsExactly("web.1", "web.2", "web.3", "web.1", "web.2", "web.3");
  }

  @Test
  void rotationContinuesAcrossRouteSwapsOfTheSameApp() {
    balancer.pick("hello", v(1, web1, web2), null);
    assertThat(balancer.pick("hello", v(1, web1, web2), null)).isEqualTo(web2);
  }

  @Test
  void appsRotateIndependently() {
    balancer.pick("hello", v(1, web1, web2), null);
    assertThat(balancer.pick("other", v(1, web1, web2), null)).isEqualTo(web1);
  }

  @Test
  void versionsOfOneAppRotateIndependently() {
    balancer.pick("hello", v(1, web1, web2), null);
    assertThat(balancer.pick("hello", v(2, web1, web2), null)).isEqualTo(web1);
  }

  @Test
  void retryNeverGetsTheFailedBackend() {
    VersionRoute version = v(1, web1, web2);
    for (int i = 0; i < 4; i++) assertThat(balancer.pick("hello", version, web1)).isEqualTo(web2);
  }

  @Test
  void noOtherBackendMeansNull() {
    assertThat(balancer.pick("hello", v(1, web1), web1)).isNull();
    assertThat(balancer.pick("hello", v(1), null)).isNull();
  }
}
