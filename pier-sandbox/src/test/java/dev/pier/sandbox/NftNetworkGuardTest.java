package dev.pier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real nftables, real sockets, real uids (through setpriv): what a confined app uid can still
 * connect to on this machine. Needs root and nft (bin/pier-test installs nftables). The protected
 * ports stand for the platform's: another app's instance port, the instance's own port, the API.
 */
class NftNetworkGuardTest {
  private static final int APP_UID = 64_901;
  private static final int OTHER_UID = 64_902;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private ServerSocket router;
  private ServerSocket otherApp;
  private ServerSocket ownPort;
  private ServerSocket api;
  private ServerSocket helper;
  private List<PortRange> protectedPorts;
  private NftNetworkGuard guard;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Sandbox.runningAsRoot(), "needs root");
    assumeTrue(Sandbox.find("nft") != null, "needs nft (Debian package nftables)");
    router = listen("127.0.0.1");
    otherApp = listen("0.0.0.0");
    ownPort = listen("127.0.0.1");
    api = listen("0.0.0.0");
    helper = listen("127.0.0.1"); // e.g. a headless browser the app started, on some free port
    protectedPorts = List.of(PortRange.of(otherApp.getLocalPort()), PortRange.of(ownPort.getLocalPort()),
        PortRange.of(api.getLocalPort()));
    guard = NftNetworkGuard.start("pier_test_" + ThreadLocalRandom.current().nextInt(1 << 20), protectedPorts);
  }

  @AfterEach
  void stop() throws Exception {
    if (guard != null) guard.close();
    for (AutoCloseable c : toClose.reversed()) c.close();
  }

  private ServerSocket listen(String host) throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName(host));
    toClose.add(s);
    return s;
  }

  @Test
  void aConfinedAppReachesTheRouterAndItsOwnPortsButNotThePlatformsOthers() throws Exception {
    int other = otherApp.getLocalPort();
    assertThat(connects(APP_UID, "127.0.0.1", other)).as("before confine").isTrue();

    guard.confine(APP_UID);
    guard.open(APP_UID, ownPort.getLocalPort());

    assertThat(connects(APP_UID, "127.0.0.1", other)).as("another app's port").isFalse();
    assertThat(connects(APP_UID, hostAddress(), other)).as("the same port on the host's own address").isFalse();
    assertThat(connects(APP_UID, "127.0.0.1", api.getLocalPort())).as("the API").isFalse();
    assertThat(connects(APP_UID, "127.0.0.1", router.getLocalPort())).as("the router").isTrue();
    assertThat(connects(APP_UID, "127.0.0.1", ownPort.getLocalPort())).as("its own port").isTrue();
    assertThat(connects(APP_UID, "127.0.0.1", helper.getLocalPort())).as("an unprotected local port").isTrue();
    assertThat(connects(OTHER_UID, "127.0.0.1", other)).as("a uid that is not confined").isTrue();
  }

  @Test
  void aConfinedAppStillAnswersConnectionsMadeToIt() throws Exception {
    // The app's server listens on its own (protected, opened) port; the client connects FROM a
    // protected port, so the answers go TO a protected port: only new connections are refused.
    int port = ownPort.getLocalPort();
    ownPort.close();
    int clientPort = api.getLocalPort();
    api.close();
    guard.confine(APP_UID);
    guard.open(APP_UID, port);
    // The app's server runs as the confined uid; the router (root) and others connect to it.
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("guard-server");
    toClose.add(() -> {
      try (var files = java.nio.file.Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    });
    java.nio.file.Path source = dir.resolve("Server.java");
    java.nio.file.Files.writeString(source, """
        public class Server {
          public static void main(String[] args) throws Exception {
            try (var server = new java.net.ServerSocket(Integer.parseInt(args[0]), 8,
                java.net.InetAddress.getLoopbackAddress())) {
              System.out.println("ready");
              while (true) {
                try (var c = server.accept()) {
                  c.getOutputStream().write("hello".getBytes());
                }
              }
            }
          }
        }
        """);
    java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    java.nio.file.Files.setPosixFilePermissions(source, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process server = new ProcessBuilder("setpriv", "--reuid=" + APP_UID, "--regid=" + APP_UID, "--clear-groups",
        java, source.toString(), String.valueOf(port))
        .redirectErrorStream(true).start();
    toClose.add(server::destroyForcibly);
    var out = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream()));
    String line;
    StringBuilder printed = new StringBuilder();
    while ((line = out.readLine()) != null && !line.equals("ready")) printed.append(line).append('\n');
    assertThat(line).as("server output: " + printed).isEqualTo("ready");
    try (java.net.Socket client = new java.net.Socket()) {
      client.setReuseAddress(true);
      client.bind(new java.net.InetSocketAddress("127.0.0.1", clientPort));
      client.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
      client.setSoTimeout(5000);
      assertThat(new String(client.getInputStream().readAllBytes())).isEqualTo("hello");
    }
  }

  @Test
  void aShutPortIsClosedAgainAndCloseLiftsEverything() throws Exception {
    guard.confine(APP_UID);
    guard.open(APP_UID, ownPort.getLocalPort());
    guard.shut(APP_UID, ownPort.getLocalPort());
    guard.shut(APP_UID, ownPort.getLocalPort()); // twice: still fine
    assertThat(connects(APP_UID, "127.0.0.1", ownPort.getLocalPort())).isFalse();

    guard.close();
    assertThat(connects(APP_UID, "127.0.0.1", otherApp.getLocalPort())).isTrue();
    assertThat(nftExit("list", "table", "inet", guard.table())).isNotZero();
  }

  @Test
  void startingAgainReplacesATableLeftByAnEarlierRun() throws Exception {
    guard.confine(APP_UID);
    // A server killed without closing its guard leaves the table; the next start replaces it.
    try (NftNetworkGuard again = NftNetworkGuard.start(guard.table(), protectedPorts)) {
      assertThat(connects(APP_UID, "127.0.0.1", otherApp.getLocalPort())).as("not confined in the new table").isTrue();
      again.confine(APP_UID);
      assertThat(connects(APP_UID, "127.0.0.1", otherApp.getLocalPort())).isFalse();
    }
  }

  @Test
  void tablesOfGuardsWhoseServerDiedAreDeletedAtTheNextStart() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String orphan = "pier_orphan_" + ThreadLocalRandom.current().nextInt(1 << 20);
    String foreign = "pier_foreign_" + ThreadLocalRandom.current().nextInt(1 << 20);
    nftScript("table inet " + orphan + " { comment \"pier pid=" + gone.pid() + "\"\n"
        + "set confined { type uid; elements = { " + APP_UID + " }; }\n}\n"
        + "table inet " + foreign + " { }");
    try (NftNetworkGuard next = NftNetworkGuard.start(guard.table() + "_next", protectedPorts)) {
      assertThat(nftExit("list", "table", "inet", orphan)).as("orphaned table").isNotZero();
      assertThat(nftExit("list", "table", "inet", foreign)).as("a table that is not a guard's").isZero();
      assertThat(nftExit("list", "table", "inet", guard.table())).as("a live guard's table").isZero();
    } finally {
      nftScript("delete table inet " + foreign);
    }
  }

  @Test
  void badArgumentsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> NftNetworkGuard.start("Bad Name", List.of(PortRange.of(80))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table name");
    assertThatThrownBy(() -> guard.confine(0)).hasMessageContaining("never root");
    assertThatThrownBy(() -> guard.open(APP_UID, 70_000)).hasMessageContaining("port out of range");
    assertThatThrownBy(() -> new PortRange(30, 20)).hasMessageContaining("bad port range");
  }

  /** Whether {@code uid} (no capabilities) can open a TCP connection to host:port. */
  private static boolean connects(int uid, String host, int port) throws Exception {
    Process p = new ProcessBuilder("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
        "bash", "-c", "exec 3<>/dev/tcp/" + host + "/" + port)
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0;
  }

  private static void nftScript(String script) throws Exception {
    Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  private static int nftExit(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("nft"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  /** The first non-loopback IPv4 address of this machine. */
  private static String hostAddress() throws Exception {
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (nic.isLoopback() || !nic.isUp()) continue;
      for (var addr : java.util.Collections.list(nic.getInetAddresses())) {
        if (addr instanceof java.net.Inet4Address) return addr.getHostAddress();
      }
    }
    return "127.0.0.1";
  }
}
