package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.build.BuildLimits;
import dev.pier.router.ClientLimits;
import dev.pier.runtime.DiskQuota;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void flagsWinOverEnvironmentWhichWinsOverDefaults() {
    Settings s = Main.parse(
        new String[] {"--api-port", "9000", "--domain=Example.TEST"},
        Map.of("PIER_API_PORT", "1", "PIER_ROUTER_PORT", "9001", "PIER_DATA", "/srv/pier",
            "PIER_STOP_GRACE_SECONDS", "5"));
    assertThat(s.apiPort()).isEqualTo(9000);
    assertThat(s.routerPort()).isEqualTo(9001);
    assertThat(s.domain()).isEqualTo("example.test");
    assertThat(s.dataDir()).isEqualTo(Path.of("/srv/pier"));
    assertThat(s.stopGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.memoryLimitBytes()).isEqualTo(512L << 20);
  }

  @Test
  void theRouterTlsPortDefaultsTo8443IsSetByFlagOrEnvironmentAndOffTurnsHttpsOff() {
    assertThat(Main.parse(new String[0], Map.of()).routerTlsPort()).isEqualTo(8443);
    assertThat(Main.parse(new String[0], Map.of("PIER_ROUTER_TLS_PORT", "9443")).routerTlsPort())
        .isEqualTo(9443);
    assertThat(Main.parse(new String[] {"--router-tls-port", "off"}, Map.of()).routerTlsPort())
        .isEqualTo(Settings.TLS_OFF);
    assertThatThrownBy(() -> Main.parse(new String[] {"--router-tls-port", "8080"}, Map.of()))
        .hasMessageContaining("router TLS port must differ");
    assertThat(Settings.defaults(Path.of("/d")).withPorts(0, 0).routerTlsPort()).isZero();
  }

  @Test
  void thePublicHttpsPortOfRedirectsDefaultsToTheTlsPortAndIsSetByFlagOrEnvironment() {
    Settings defaults = Main.parse(new String[0], Map.of());
    assertThat(defaults.routerPublicHttpsPort()).isZero();
    assertThat(defaults.publicHttpsPort(8443)).isEqualTo(8443);
    Settings forwarded = Main.parse(new String[] {"--router-public-https-port", "443"}, Map.of());
    assertThat(forwarded.publicHttpsPort(8443)).isEqualTo(443);
    assertThat(forwarded.withPorts(0, 0).publicHttpsPort(41234)).as("kept with ephemeral ports").isEqualTo(443);
    assertThat(Main.parse(new String[0], Map.of("PIER_ROUTER_PUBLIC_HTTPS_PORT", "4443")).publicHttpsPort(8443))
        .isEqualTo(4443);
    assertThatThrownBy(() -> Main.parse(new String[] {"--router-public-https-port", "0"}, Map.of()))
        .hasMessageContaining("router public HTTPS port must be 1-65535");
    assertThatThrownBy(() -> Main.parse(new String[] {"--router-public-https-port=x"}, Map.of()))
        .hasMessageContaining("invalid router public HTTPS port 'x'");
    assertThatThrownBy(() -> Main.parse(new String[] {"--router-public-https-port", "443",
        "--router-tls-port", "off"}, Map.of())).hasMessageContaining("needs HTTPS");
  }

  @Test
  void theAddOnPortRangeIsSetByFlagOrEnvironmentAndABadOneIsRefusedByName() {
    assertThat(Main.parse(new String[0], Map.of()).addonPorts().range().first()).isEqualTo(15000);
    assertThat(Main.parse(new String[0], Map.of("PIER_ADDON_PORTS", "16000-16009")).addonPorts().range().last())
        .isEqualTo(16009);
    Settings flag = Main.parse(new String[] {"--addon-ports", "17000-17004"}, Map.of("PIER_ADDON_PORTS", "16000-16009"));
    assertThat(flag.addonPorts().range().first()).isEqualTo(17000);
    assertThat(flag.withPorts(0, 0).addonPorts().range().last()).as("kept by copies").isEqualTo(17004);
    assertThatThrownBy(() -> Main.parse(new String[] {"--addon-ports=90-80"}, Map.of()))
        .hasMessageContaining("bad add-on port range '90-80'");
  }

  @Test
  void acmeIsOffByDefaultAndTheDirectoryFlagOrEnvironmentTurnsItOn() {
    assertThat(Main.parse(new String[0], Map.of()).acme()).isNull();
    Settings s = Main.parse(new String[] {"--acme-directory",
        "https://acme-staging-v02.api.letsencrypt.org/directory", "--acme-email", "ops@example.com"}, Map.of());
    assertThat(s.acme().directory().getHost()).isEqualTo("acme-staging-v02.api.letsencrypt.org");
    assertThat(s.acme().email()).isEqualTo("ops@example.com");
    assertThat(s.acme().caCert()).isNull();
    assertThat(Main.parse(new String[0], Map.of("PIER_ACME_DIRECTORY", "https://localhost:14000/dir"))
        .acme().directory().getPort()).isEqualTo(14000);
    assertThatThrownBy(() -> Main.parse(new String[] {"--acme-directory", "ftp://x/dir"}, Map.of()))
        .hasMessageContaining("invalid ACME directory URL");
    assertThatThrownBy(() -> Main.parse(new String[] {"--acme-email", "a@b.c"}, Map.of()))
        .hasMessageContaining("need --acme-directory");
    assertThatThrownBy(() -> Main.parse(new String[] {"--acme-directory", "https://x/dir",
        "--router-tls-port", "off"}, Map.of())).hasMessageContaining("needs HTTPS");
    assertThatThrownBy(() -> Main.parse(new String[] {"--acme-directory", "https://x/dir",
        "--acme-ca-cert", "/nonexistent/ca.pem"}, Map.of())).hasMessageContaining("cannot read the ACME CA");
  }

  @Test
  void badValuesAreNamedInTheMessage() {
    assertThatThrownBy(() -> Main.parse(new String[] {"--api-port", "seventy"}, Map.of()))
        .hasMessageContaining("API port 'seventy'");
    assertThatThrownBy(() -> Main.parse(new String[] {"--nope", "1"}, Map.of()))
        .hasMessageContaining("Unknown option").hasMessageContaining("'--nope'");
    assertThatThrownBy(() -> Main.parse(new String[] {"--api-port", "8080"}, Map.of()))
        .hasMessageContaining("must differ");
    assertThatThrownBy(() -> Main.parse(new String[] {"--domain", "bad domain"}, Map.of()))
        .hasMessageContaining("invalid domain");
    assertThatThrownBy(() -> Main.parse(new String[0], Map.of("PIER_MAX_UPLOAD_MB", "-3")))
        .hasMessageContaining("PIER_MAX_UPLOAD_MB");
  }

  @Test
  void buildLimitsDefaultAboveTheInstanceSizeAndAreSetByEnvironment() {
    Settings defaults = Main.parse(new String[0], Map.of("PIER_MEMORY_LIMIT_MB", "1536"));
    assertThat(defaults.buildLimits())
        .isEqualTo(new BuildLimits(3072L << 20, 1024, 1000, Duration.ofMinutes(15)));
    assertThat(Main.parse(new String[0], Map.of()).buildLimits().memoryBytes()).isEqualTo(2048L << 20);

    Settings set = Main.parse(new String[0], Map.of("PIER_BUILD_MEMORY_MB", "700", "PIER_BUILD_PIDS", "300",
        "PIER_BUILD_CPUS", "0.5", "PIER_BUILD_TIMEOUT_SECONDS", "120"));
    assertThat(set.buildLimits()).isEqualTo(new BuildLimits(700L << 20, 300, 500, Duration.ofMinutes(2)));

    assertThatThrownBy(() -> Main.parse(new String[0], Map.of("PIER_BUILD_CPUS", "lots")))
        .hasMessageContaining("invalid PIER_BUILD_CPUS 'lots'");
    assertThatThrownBy(() -> Main.parse(new String[0], Map.of("PIER_BUILD_TIMEOUT_SECONDS", "0")))
        .hasMessageContaining("PIER_BUILD_TIMEOUT_SECONDS must be at least 1");
  }

  @Test
  void routerClientLimitsComeFromTheEnvironment() {
    Settings s = Main.parse(new String[0], Map.of("PIER_ROUTER_MAX_CONNECTIONS", "2000",
        "PIER_ROUTER_MAX_CONNECTIONS_PER_IP", "32", "PIER_ROUTER_HEAD_TIMEOUT_SECONDS", "5"));
    assertThat(s.routerClientLimits())
        .isEqualTo(new ClientLimits(Duration.ofSeconds(5), 2000, 32));
    assertThat(Main.parse(new String[0], Map.of()).routerClientLimits())
        .isEqualTo(ClientLimits.DEFAULT);
    assertThatThrownBy(() -> Main.parse(new String[0], Map.of("PIER_ROUTER_MAX_CONNECTIONS", "0")))
        .hasMessageContaining("PIER_ROUTER_MAX_CONNECTIONS");
  }

  @Test
  void platformPortsInsideTheInstancePortRangeAreRefused() {
    assertThatThrownBy(() -> Main.parse(new String[] {"--router-port", "28080"}, Map.of()))
        .hasMessageContaining("router port 28080 is inside the port range 20000-29999");
    assertThatThrownBy(() -> Main.parse(new String[0], Map.of("PIER_API_PORT", "20000")))
        .hasMessageContaining("API port 20000 is inside the port range 20000-29999");
    assertThatThrownBy(() -> Main.parse(new String[] {"--api-port", "29999"}, Map.of()))
        .hasMessageContaining("API port 29999");
    assertThat(Main.parse(new String[] {"--api-port", "19999", "--router-port", "30000"}, Map.of()).routerPort())
        .isEqualTo(30000);
  }

  @Test
  void theServerRefusesToStartWithARouterPortInsideTheInstancePortRange() throws Exception {
    Process server = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--router-port", "28080")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    String err = new String(server.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(server.exitValue()).isEqualTo(2);
    assertThat(err).startsWith(" !     router port 28080 is inside the port range 20000-29999");
  }

  @Test
  void localDrainsAreRefusedUnlessTheOperatorAllowsThem() {
    assertThat(Main.parse(new String[0], Map.of()).allowLocalDrains()).isFalse();
    assertThat(Main.parse(new String[0], Map.of("PIER_ALLOW_LOCAL_DRAINS", "1")).allowLocalDrains()).isTrue();
    Settings flag = Main.parse(new String[] {"--allow-local-drains", "--api-port", "9000"}, Map.of());
    assertThat(flag.allowLocalDrains()).isTrue();
    assertThat(flag.apiPort()).isEqualTo(9000);
  }

  @Test
  void diskQuotasDefaultToAGigabyteOfAppAndAQuarterOfTmpAndAreSetByEnvironment() {
    Settings defaults = Main.parse(new String[0], Map.of());
    assertThat(defaults.diskQuota()).isEqualTo(new DiskQuota(1024L << 20, 256L << 20));
    assertThat(defaults.buildLimits().diskBytes()).isEqualTo(2048L << 20);
    assertThat(defaults.buildLimits().tmpBytes()).isEqualTo(256L << 20);

    Settings set = Main.parse(new String[0], Map.of("PIER_DISK_QUOTA_MB", "64", "PIER_TMP_QUOTA_MB", "32",
        "PIER_BUILD_DISK_MB", "0"));
    assertThat(set.diskQuota()).isEqualTo(new DiskQuota(64L << 20, 32L << 20));
    assertThat(set.buildLimits().diskBytes()).isZero();
    assertThat(set.buildLimits().tmpBytes()).isEqualTo(32L << 20);

    assertThatThrownBy(() -> Main.parse(new String[0], Map.of("PIER_DISK_QUOTA_MB", "8")))
        .hasMessageContaining("PIER_DISK_QUOTA_MB must be 0 (no quota) or at least 16");
    assertThatThrownBy(() -> Main.parse(new String[0], Map.of("PIER_BUILD_DISK_MB", "lots")))
        .hasMessageContaining("PIER_BUILD_DISK_MB");
  }

  @Test
  void helpReturnsNoSettings() {
    assertThat(Main.parse(new String[] {"--help"}, Map.of())).isNull();
    assertThat(Main.parse(new String[] {"-h"}, Map.of())).isNull();
  }

  @Test
  void helpNamesEveryFlagWithTheEnvironmentVariableItFallsBackTo() {
    String usage = Main.usage().replaceAll("\\s+", " ");
    assertThat(usage).startsWith("Usage: pier server").contains("--allow-local-drains", "PIER_ALLOW_LOCAL_DRAINS=1",
        "PIER_BUILD_TIMEOUT_SECONDS");
    ServerFlags.ENV.forEach((flag, variable) -> assertThat(usage).contains(flag).contains("env " + variable));
    assertThatThrownBy(() -> Main.parse(new String[] {"--api-port"}, Map.of()))
        .hasMessageContaining("--api-port");
  }

  @Test
  void theNodeRegistryDefaultsToNpmsAndIsSetByFlagOrEnvironmentOrTurnedOff() {
    assertThat(Main.parse(new String[0], Map.of()).nodeRegistry()).hasToString("https://registry.npmjs.org/");
    assertThat(Main.parse(new String[0], Map.of("PIER_NODE_REGISTRY", "http://127.0.0.1:4873/")).nodeRegistry())
        .hasToString("http://127.0.0.1:4873/");
    assertThat(Main.parse(new String[] {"--node-registry", "https://npm.example.org/"},
        Map.of("PIER_NODE_REGISTRY", "http://127.0.0.1:4873/")).nodeRegistry()).hasToString("https://npm.example.org/");
    assertThat(Main.parse(new String[0], Map.of("PIER_NODE_DOWNLOADS", "0")).nodeRegistry()).isNull();
    assertThatThrownBy(() -> Main.parse(new String[] {"--node-registry", "ftp://x/"}, Map.of()))
        .hasMessageContaining("must be an http(s) URL");
  }
}
