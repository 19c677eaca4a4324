package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaintenanceCommandsTest extends FakeApiTest {
  @Test
  void maintenanceIsTurnedOnShownAndTurnedOff() {
    assertThat(cli.run("maintenance", "-a", "hello").out()).isEqualTo("off\n");

    var on = cli.run("maintenance:on", "-a", "hello");

    assertThat(on.exitCode()).as(on.err()).isZero();
    assertThat(on.out()).isEqualTo("Enabling maintenance mode for hello... done\n");
    assertThat(api.lastBody.toString()).isEqualTo("{\"maintenance\":true}");
    assertThat(cli.run("maintenance", "-a", "hello").out()).isEqualTo("on\n");
    assertThat(cli.run("apps:info", "-a", "hello").out()).contains("Maintenance: on");

    var off = cli.run("maintenance:off", "-a", "hello");

    assertThat(off.exitCode()).isZero();
    assertThat(off.out()).isEqualTo("Disabling maintenance mode for hello... done\n");
    assertThat(cli.run("maintenance", "-a", "hello").out()).isEqualTo("off\n");
    assertThat(cli.run("apps:info", "-a", "hello").out()).contains("Maintenance: off");
  }

  @Test
  void maintenanceOfAnUnknownAppFailsWithTheServersMessage() {
    var result = cli.run("maintenance:on", "-a", "nope");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("app 'nope' not found");
  }
}
