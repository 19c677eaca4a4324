package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Result;
import dev.pier.router.ClientLimits;
import dev.pier.testkit.SlowClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris clients flooding both the router and the API port of a real Pier server: each holds
 * no more of them than its own limits, so the API and git still answer a normal client, and each
 * closes the ones it kept once their request head deadline passed.
 */
class SlowlorisTest {
  @TempDir Path tmp;

  @Test
  void slowClientsFloodingRouterAndApiLeaveTheApiAndGitServed() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp,
            s -> s.withRouterClientLimits(ClientLimits.DEFAULT.withConnections(500, 256)));
        SlowClients onRouter = new SlowClients();
        SlowClients onApi = new SlowClients()) {
      pier.login();
      PlatformHarness.check(pier.cli(tmp, "apps:create", "slow-test", "--no-remote"));
      int apiPort = java.net.URI.create(pier.apiUrl()).getPort();

      for (int i = 0; i < 4; i++) { // 4 addresses x 200: each under 256, together over 500
        onRouter.open(pier.routerPort(), InetAddress.getByName("127.0.0." + (30 + i)), 200);
      }
      onApi.open(apiPort, InetAddress.getByName("127.0.0.40"), 300);
      long floodStart = System.nanoTime();
      int routerHeld = 0;
      int apiHeld = 0;
      for (int second = 0; second < 3; second++) { // refused sockets fail by the second write
        Thread.sleep(1000);
        routerHeld = onRouter.trickle();
        apiHeld = onApi.trickle();
      }

      long start = System.nanoTime();
      String ready = rawGet(apiPort, "/");
      long apiMillis = (System.nanoTime() - start) / 1_000_000;
      start = System.nanoTime();
      Result lsRemote = pier.git(tmp, "ls-remote",
          "http://x:" + PlatformHarness.TOKEN + "@127.0.0.1:" + apiPort + "/git/slow-test.git");
      long gitMillis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("slowloris on router and API: router kept %d of %d slow connections"
          + " (cap 500), the API kept %d of %d from one address (64 per address); a normal API"
          + " client was served in %d ms, git ls-remote in %d ms (exit %d)%n",
          routerHeld, onRouter.size(), apiHeld, onApi.size(), apiMillis, gitMillis, lsRemote.exit());

      assertThat(routerHeld).isLessThanOrEqualTo(500);
      assertThat(apiHeld).isLessThanOrEqualTo(64);
      assertThat(ready).startsWith("HTTP/1.1 200").contains("\"ready\":true");
      assertThat(lsRemote.exit()).as(lsRemote.err()).isZero();

      // Both head deadlines (10 s from the accept) end the slow connections that were kept.
      int seconds = 0;
      while ((routerHeld > 0 || apiHeld > 0) && seconds++ < 20) {
        Thread.sleep(1000);
        routerHeld = onRouter.trickle();
        apiHeld = onApi.trickle();
      }
      System.out.printf("after the head deadlines: router kept %d, the API %d, %d ms after the"
          + " floods opened%n", routerHeld, apiHeld, (System.nanoTime() - floodStart) / 1_000_000);
      assertThat(routerHeld).isZero();
      assertThat(apiHeld).isZero();
    }
  }

  /** One GET from 127.0.0.1 with its own connection; returns the whole response. */
  private static String rawGet(int port, String path) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
