package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandsTest {
  @TempDir Path home;
  private FakePierApi api;
  private CliHarness cli;

  @BeforeEach
  void start() throws Exception {
    api = new FakePierApi();
    cli = new CliHarness(home);
    assertThat(cli.run("login", "--api", api.url(), "--token", FakePierApi.TOKEN).exitCode()).isZero();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void certsCaPrintsTheRootCertificateAsPemOnly() {
    var result = cli.run("certs:ca");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo(FakePierApi.CA_PEM);
    assertThat(api.requests("GET /certs/ca")).hasSize(1);
  }
}
