package dev.pier.drains;

import static dev.pier.drains.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.model.LogLine;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DrainDestinationsTest {
  private static final Duration SOON = Duration.ofSeconds(5);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      loopback             | syslog+tcp://127.0.0.1:514           | this machine's loopback address (127.0.0.1)
      other loopback       | http://127.9.9.9:8080/logs           | this machine's loopback address (127.9.9.9)
      localhost            | https://localhost/logs               | this machine's loopback address
      ipv6 loopback        | http://[::1]:9000/logs               | this machine's loopback address
      mapped ipv4 loopback | http://[::ffff:127.0.0.1]:9000/logs  | this machine's loopback address (127.0.0.1)
      wildcard             | syslog+tcp://0.0.0.0:514             | this machine (the wildcard address)
      zero shorthand       | http://0:7070/                       | this machine (the wildcard address)
      cloud metadata       | http://169.254.169.254/latest/       | a link-local address (169.254.169.254)
      """)
  void thisMachinesAddressesAreRefusedByDefault(String name, String url, String why) {
    assertThatThrownBy(() -> DrainDestinations.remoteOnly().check(DrainUrl.parse(url)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(why)
        .hasMessageContaining("PIER_ALLOW_LOCAL_DRAINS=1");
  }

  @Test
  void anAddressOfOneOfThisMachinesInterfacesIsRefused() throws Exception {
    InetAddress own = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst().orElseThrow(() -> new AssertionError("this machine has no non-loopback IPv4 address"));
    assertThatThrownBy(() -> DrainDestinations.remoteOnly()
        .check(DrainUrl.parse("syslog+tcp://" + own.getHostAddress() + ":514")))
        .hasMessageContaining("an address of this machine (" + own.getHostAddress() + ")");
  }

  @Test
  void otherMachinesArePassedWithoutBeingContacted() throws Exception {
    DrainDestinations remote = DrainDestinations.remoteOnly();
    assertThat(remote.check(DrainUrl.parse("syslog+tcp://192.0.2.10:514")))
        .containsExactly(InetAddress.getByName("192.0.2.10"));
    assertThat(remote.check(DrainUrl.parse("https://user:pw@10.20.30.40/logs"))).hasSize(1);
  }

  @Test
  void withLocalDestinationsAllowedThePlatformsOwnPortsStayRefused() throws Exception {
    DrainDestinations local = DrainDestinations.of(true, port -> port == 7070 || (port >= 20000 && port <= 29999));
    assertThat(local.check(DrainUrl.parse("syslog+tcp://127.0.0.1:5514"))).hasSize(1);
    assertThatThrownBy(() -> local.check(DrainUrl.parse("http://localhost:7070/apps")))
        .hasMessageContaining("points at Pier's own port 7070 on this machine");
    assertThatThrownBy(() -> local.check(DrainUrl.parse("syslog+tcp://127.0.0.1:20001")))
        .hasMessageContaining("own port 20001");
    assertThat(local.check(DrainUrl.parse("http://192.0.2.10:7070/"))).hasSize(1);
  }

  @Test
  void aDrainToThisMachineSendsNothingAndSaysWhyInItsStats() throws Exception {
    try (SyslogReceiver receiver = SyslogReceiver.reading(0);
        Drain drain = Drain.open("hello", DrainUrl.parse(receiver.url()),
            new DrainOptions(100, SOON, Duration.ofMillis(200), 500, Duration.ofSeconds(1)),
            new RecordingDropReporter())) {
      drain.accept(new LogLine(Instant.now(), "hello", "app", "web.1", "secret"));
      eventually(SOON, () -> drain.stats().failures() > 0, drain::stats);
      assertThat(drain.stats().lastError()).contains("loopback").contains("PIER_ALLOW_LOCAL_DRAINS=1");
      assertThat(drain.stats().sent()).isZero();
      assertThat(receiver.connections.get()).isZero();
      assertThat(receiver.messages).isEmpty();
    }
  }
}
