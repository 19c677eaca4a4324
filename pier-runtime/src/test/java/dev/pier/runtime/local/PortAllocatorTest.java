package dev.pier.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {
  @Test
  void skipsPortsSomethingListensOn() throws Exception {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(PortAllocator.loopback(), 0));
      int taken = busy.getLocalPort();
      PortAllocator ports = new PortAllocator(taken, taken);

      assertThatThrownBy(ports::allocate)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no free port");
    }
  }

  @Test
  void handsOutEachPortOnceUntilReleased() {
    int free = freePort();
    PortAllocator ports = new PortAllocator(free, free);

    assertThat(ports.allocate()).isEqualTo(free);
    assertThatThrownBy(ports::allocate).isInstanceOf(IllegalStateException.class);
    ports.release(free);
    assertThat(ports.allocate()).isEqualTo(free);
  }

  @Test
  void successiveAllocationsGetDifferentPorts() {
    PortAllocator ports = PortAllocator.defaultRange();
    int first = ports.allocate();
    int second = ports.allocate();

    assertThat(first).isNotEqualTo(second);
    assertThat(first).isBetween(PortAllocator.DEFAULT_FROM, PortAllocator.DEFAULT_TO);
    assertThat(second).isBetween(PortAllocator.DEFAULT_FROM, PortAllocator.DEFAULT_TO);
  }

  private static int freePort() {
    for (int port = PortAllocator.DEFAULT_FROM; ; port++) {
      if (PortAllocator.isFree(port)) return port;
    }
  }
}
