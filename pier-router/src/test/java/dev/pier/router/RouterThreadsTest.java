package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouterThreadsTest {
  @AfterEach
  void clear() {
    System.clearProperty("pier.router.threads");
  }

  @Test
  void theRouterRunsAsManyEventLoopsAsTheSettingSays() {
    System.setProperty("pier.router.threads", "3");
    assertThat(RouterServer.eventLoops()).isEqualTo(3);
  }

  @Test
  void withoutTheSettingTheRouterRunsOneEventLoopPerProcessor() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("PIER_ROUTER_THREADS") == null);
    assertThat(RouterServer.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void aSettingThatIsNotAWholeNumberFromOneToFourPerProcessorStopsTheStart() {
    System.setProperty("pier.router.threads", "0");
    assertThatThrownBy(RouterServer::eventLoops).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PIER_ROUTER_THREADS");
    System.setProperty("pier.router.threads", "two");
    assertThatThrownBy(RouterServer::eventLoops).isInstanceOf(IllegalArgumentException.class);
    System.setProperty("pier.router.threads", "100000");
    assertThatThrownBy(RouterServer::eventLoops).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 per processor");
  }
}
