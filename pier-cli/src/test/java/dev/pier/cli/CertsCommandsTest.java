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
  void certsAddSendsBothFilesThenCertsListsItAndPierCaAndCertsRemoveDropsIt() throws Exception {
    api.deployedApp("shop");
    java.nio.file.Files.writeString(home.resolve("cert.pem"), FakePierApi.CA_PEM);
    java.nio.file.Files.writeString(home.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");

    var added = cli.run("certs:add", home.resolve("cert.pem").toString(),
        home.resolve("key.pem").toString(), "-a", "shop");
    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(added.out()).isEqualTo("Adding certificate 1 to shop... done: api.shop.localhost"
        + " (expires 2027-12-01T00:00:00Z)\n");
    assertThat(api.requests("POST /apps/shop/certs")).hasSize(1);

    var list = cli.run("certs", "-a", "shop");
    assertThat(list.out()).containsPattern("1 +api.shop.localhost +CN=Test CA +2027-12-01")
        .containsPattern("- +shop.localhost, \\*.shop.localhost +pier-ca");

    assertThat(cli.run("certs:remove", "1", "-a", "shop").out())
        .isEqualTo("Removing certificate 1 from shop... done\n");
    var again = cli.run("certs:remove", "1", "-a", "shop");
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err()).contains("app shop has no certificate 1");
  }

  @Test
  void certsMarksExpiredAndSoonExpiringCertificates() {
    FakePierApi.FakeApp shop = api.deployedApp("shop");
    shop.certs.add(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("id", 1).put("issuer", "CN=Old CA")
        .put("expires", "2026-01-01T00:00:00Z").put("state", "expired").put("source", "uploaded"));
    shop.certs.getLast().putArray("names").add("old.example.com");
    shop.certs.add(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("id", 2).put("issuer", "CN=New CA")
        .put("expires", "2026-12-20T00:00:00Z").put("state", "expiring").put("source", "uploaded"));
    shop.certs.getLast().putArray("names").add("new.example.com");

    var list = cli.run("certs", "-a", "shop");

    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).containsPattern("1 +old.example.com +CN=Old CA +2026-01-01T00:00:00Z +uploaded +EXPIRED")
        .containsPattern("2 +new.example.com +CN=New CA +2026-12-20T00:00:00Z +uploaded +expiring \\(< 30 days\\)")
        .containsPattern("pier-ca +2027-12-31T00:00:00Z +pier-ca +valid");
  }

  @Test
  void certsAddOfAMissingFileSaysSoWithoutCallingTheApi() {
    api.deployedApp("shop");
    var result = cli.run("certs:add", "nope.pem", "key.pem", "-a", "shop");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("Cannot read nope.pem");
    assertThat(api.requests("POST /apps/shop/certs")).isEmpty();
  }

  @Test
  void certsCaPrintsTheRootCertificateAsPemOnly() {
    var result = cli.run("certs:ca");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo(FakePierApi.CA_PEM);
    assertThat(api.requests("GET /certs/ca")).hasSize(1);
  }

  @Test
  void certsAutoEnableTurnsThemOnAndCertsShowsTheAcmeCertificateWithItsSourceAndReason() {
    api.deployedApp("shop");
    var off = cli.run("certs:auto", "-a", "shop");
    assertThat(off.exitCode()).as(off.err()).isZero();
    assertThat(off.out()).isEqualTo("Automatic certificates for shop are off.\n");

    var on = cli.run("certs:auto:enable", "-a", "shop");
    assertThat(on.exitCode()).as(on.err()).isZero();
    assertThat(on.out()).startsWith("Enabling automatic certificates for shop... done\n"
        + "Automatic certificates for shop are on.\n")
        .containsPattern("www.example.com +failed +- +challenge failed: 404");
    assertThat(api.requests("POST /apps/shop/certs/auto")).hasSize(1);

    var list = cli.run("certs", "-a", "shop");
    assertThat(list.out())
        .containsPattern("- +www.example.com +CN=Pebble Intermediate CA +2027-03-01T00:00:00Z +acme +issued")
        .containsPattern("- +shop.localhost, \\*.shop.localhost +pier-ca")
        .contains("www.example.com: renewal failed: rate limited (next try 2027-01-01T00:05:00Z)");

    var disabled = cli.run("certs:auto:disable", "-a", "shop");
    assertThat(disabled.out()).isEqualTo("Disabling automatic certificates for shop... done\n"
        + "Automatic certificates for shop are off.\n");
    assertThat(api.requests("DELETE /apps/shop/certs/auto")).hasSize(1);
  }
}
