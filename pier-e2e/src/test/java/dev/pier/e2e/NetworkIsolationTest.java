package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.e2e.PlatformHarness.Result;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile app probing the machine from inside its instance: it must not reach another app's
 * instance port (on loopback, IPv6 loopback or the host's own address) nor Pier's API, while the
 * router (the public way to any app), its own ports and everything off the machine stay open. A
 * local user that is no app does not reach instance ports either.
 */
class NetworkIsolationTest {
  @TempDir Path tmp;

  private static Map<String, String> victim() {
    return Map.of("Procfile", "web: node server.js\n",
        "server.js", "require('http').createServer((q, s) => s.end('victim secret')).listen(process.env.PORT);\n");
  }

  private static Map<String, String> prober() {
    return Map.of("Procfile", "web: node server.js\n", "server.js", """
        const http = require('http'), net = require('net');
        http.createServer((req, res) => {
          const u = new URL(req.url, 'http://x');
          if (u.pathname === '/probe') {
            const port = Number(u.searchParams.get('port') || process.env.PORT);
            const s = net.connect({ host: u.searchParams.get('host') || '127.0.0.1', port });
            s.setTimeout(3000);
            s.on('connect', () => { s.destroy(); res.end('connected'); });
            s.on('error', e => res.end('refused ' + e.code));
            s.on('timeout', () => { s.destroy(); res.end('timeout'); });
            return;
          }
          if (u.pathname === '/helper') { // a helper server of its own on a free port, like a headless browser
            const helper = net.createServer(c => c.end('helper says hi')).listen(0, '127.0.0.1', () => {
              net.connect(helper.address().port, '127.0.0.1').on('data', d => { res.end(String(d)); helper.close(); })
                .on('error', e => { res.end('refused ' + e.code); helper.close(); });
            });
            return;
          }
          if (u.pathname === '/via-router') {
            http.get({ host: '127.0.0.1', port: Number(u.searchParams.get('port')), path: '/',
                headers: { Host: u.searchParams.get('app') + '.localhost' } }, r => {
              let body = '';
              r.on('data', d => body += d);
              r.on('end', () => res.end('router said: ' + body));
            }).on('error', e => res.end('router error ' + e.code));
            return;
          }
          res.end('prober');
        }).listen(process.env.PORT);
        """);
  }

  @Test
  void anAppReachesOtherAppsOnlyThroughTheRouterAndNeverThePlatformApi() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "per-app uids need root");
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      for (var app : Map.of("victim", victim(), "prober", prober()).entrySet()) {
        Path repo = pier.repo(app.getKey(), app.getValue());
        PlatformHarness.check(pier.cli(repo, "apps:create", app.getKey()));
        PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
        assertThat(pier.awaitOk(app.getKey(), "/", Duration.ofSeconds(30)).status()).isEqualTo(200);
      }
      int victimPort = instancePort(pier, "victim");
      int apiPort = URI.create(pier.apiUrl()).getPort();
      // The platform itself (root) still reaches the instance directly: the probes below can fail.
      try (var s = new java.net.Socket("127.0.0.1", victimPort)) {
        assertThat(s.isConnected()).isTrue();
      }

      assertThat(probe(pier, "/probe?port=" + victimPort)).isEqualTo("refused ECONNREFUSED");
      assertThat(probe(pier, "/probe?host=::1&port=" + victimPort)).isEqualTo("refused ECONNREFUSED");
      assertThat(probe(pier, "/probe?host=" + hostAddress() + "&port=" + victimPort)).isEqualTo("refused ECONNREFUSED");
      assertThat(probe(pier, "/probe?port=" + apiPort)).isEqualTo("refused ECONNREFUSED");
      assertThat(connectsAsNobody("127.0.0.1", victimPort)).as("a local user that is no app").isFalse();
      assertThat(connectsAsNobody(hostAddress(), victimPort)).as("the same on the host's address").isFalse();

      assertThat(probe(pier, "/probe")).as("its own port").isEqualTo("connected");
      assertThat(probe(pier, "/helper")).as("a server of its own on another port").isEqualTo("helper says hi");
      assertThat(probe(pier, "/via-router?app=victim&port=" + pier.routerPort()))
          .isEqualTo("router said: victim secret");
    }
  }

  /** Whether uid 65534 (nobody: neither the platform nor an app) can open a connection to host:port. */
  private static boolean connectsAsNobody(String host, int port) throws Exception {
    Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        "timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/" + host + "/" + port)
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0;
  }

  private static String probe(PlatformHarness pier, String path) throws Exception {
    return pier.get("prober", path).body();
  }

  /** The instance port of web.1, from its "port N accepting connections" log line. */
  private static int instancePort(PlatformHarness pier, String app) {
    Result logs = PlatformHarness.check(pier.cli(pier.home, "logs", "-a", app, "-n", "200"));
    Matcher m = Pattern.compile("pier\\[web\\.1\\]: port (\\d+) accepting connections").matcher(logs.out());
    int port = 0;
    while (m.find()) port = Integer.parseInt(m.group(1));
    assertThat(port).as(logs.out()).isPositive();
    return port;
  }

  private static String hostAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isLoopback() || !nic.isUp()) continue;
      for (var addr : Collections.list(nic.getInetAddresses())) {
        if (addr instanceof Inet4Address) return addr.getHostAddress();
      }
    }
    return "127.0.0.1";
  }
}
