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
 * Real nftables, real sockets, real uids (through setpriv): what a confined app uid, another local
 * user and another host can still connect to on this machine. Needs root and nft (bin/pier-test
 * installs nftables); the other host is a network namespace behind a veth pair (iproute2). The
 * protected ports stand for the platform's: a small instance port range holding another app's
 * instance port and the instance's own port, and the API.
 */
class NftNetworkGuardTest {
  private static final int APP_UID = 64_901;
  private static final int OTHER_UID = 64_902;
  /** A local user that is neither the platform nor an app. */
  private static final int NOBODY = 65_534;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private ServerSocket router;
  private ServerSocket otherApp;
  private ServerSocket ownPort;
  private ServerSocket api;
  private ServerSocket helper;
  private PortRange instancePorts;
  private List<PortRange> platformPorts;
  private NftNetworkGuard guard;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Sandbox.runningAsRoot(), "needs root");
    assumeTrue(Sandbox.find("nft") != null, "needs nft (Debian package nftables)");
    router = listen("127.0.0.1");
    api = listen("0.0.0.0");
    helper = listen("127.0.0.1"); // e.g. a headless browser the app started, on some free port
    // Outside 20000-29999, which the guards of Pier servers running on this machine protect.
    int first = 40_000 + ThreadLocalRandom.current().nextInt(20_000);
    instancePorts = new PortRange(first, first + 63);
    otherApp = listenIn(instancePorts, "0.0.0.0");
    ownPort = listenIn(instancePorts, "::"); // IPv4 and IPv6
    platformPorts = List.of(PortRange.of(api.getLocalPort()));
    guard = NftNetworkGuard.start("pier_test_" + ThreadLocalRandom.current().nextInt(1 << 20), instancePorts,
        platformPorts);
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

  /** A listener on a free port of {@code range}. */
  private ServerSocket listenIn(PortRange range, String host) throws IOException {
    for (int port = range.first(); port <= range.last(); port++) {
      try {
        ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName(host));
        toClose.add(s);
        return s;
      } catch (java.net.BindException taken) {
        // something else has it: try the next one
      }
    }
    throw new IOException("no free port in " + range);
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
  void onlyTheOwningAppAndThePlatformReachAnInstancePort() throws Exception {
    int port = ownPort.getLocalPort();
    assertThat(connects(NOBODY, "127.0.0.1", port)).as("before open").isTrue();

    guard.open(APP_UID, port);
    guard.confine(OTHER_UID);

    assertThat(connects(NOBODY, "127.0.0.1", port)).as("a local user that is no app").isFalse();
    assertThat(connects(NOBODY, "::1", port)).as("the same on IPv6 loopback").isFalse();
    assertThat(connects(NOBODY, hostAddress(), port)).as("the same on the host's own address").isFalse();
    assertThat(connects(OTHER_UID, "127.0.0.1", port)).as("another app").isFalse();
    assertThat(connects(APP_UID, "127.0.0.1", port)).as("the app that owns it").isTrue();
    assertThat(connects(APP_UID, "::1", port)).as("the owner on IPv6 loopback").isTrue();
    try (java.net.Socket platform = new java.net.Socket()) { // this JVM runs as root, like the router
      platform.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
      assertThat(platform.isConnected()).as("the platform").isTrue();
    }
    // A port of the range that none of this guard's instances holds (a local user's own server,
    // another Pier server's instance) is left to other guards.
    assertThat(connects(NOBODY, "127.0.0.1", otherApp.getLocalPort())).as("a port no instance holds").isTrue();

    guard.shut(APP_UID, port);
    assertThat(connects(NOBODY, "127.0.0.1", port)).as("after the instance stopped").isTrue();
  }

  @Test
  void aSharedPortIsReachedOnlyByItsOwnerTheAdmittedAppsAndThePlatform() throws Exception {
    int addonUid = 64_903;
    ServerSocket database = listen("127.0.0.1"); // an add-on's server, outside the instance range
    int port = database.getLocalPort();
    guard.confine(OTHER_UID);

    guard.guardPort(port, addonUid);
    guard.admit(APP_UID, port);
    guard.admit(OTHER_UID, port);

    assertThat(connects(addonUid, "127.0.0.1", port)).as("the add-on's own uid").isTrue();
    assertThat(connects(APP_UID, "127.0.0.1", port)).as("an admitted app").isTrue();
    assertThat(connects(OTHER_UID, "127.0.0.1", port)).as("another admitted, confined app").isTrue();
    assertThat(connects(NOBODY, "127.0.0.1", port)).as("a local user that is no app").isFalse();
    assertThat(connects(64_904, "127.0.0.1", port)).as("an app not attached").isFalse();
    try (java.net.Socket platform = new java.net.Socket()) {
      platform.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
      assertThat(platform.isConnected()).as("the platform").isTrue();
    }

    // An instance of the app stopping on its own port leaves the shared port as it was.
    guard.open(APP_UID, ownPort.getLocalPort());
    guard.shut(APP_UID, ownPort.getLocalPort());
    guard.revoke(OTHER_UID, port);
    assertThat(connects(OTHER_UID, "127.0.0.1", port)).as("after revoke").isFalse();
    assertThat(connects(APP_UID, "127.0.0.1", port)).as("the app still admitted").isTrue();
    assertThat(connects(NOBODY, "127.0.0.1", port)).as("still closed to others").isFalse();

    guard.unguard(port);
    assertThat(connects(NOBODY, "127.0.0.1", port)).as("after unguard").isTrue();
    guard.guardPort(port, addonUid);
    assertThat(connects(APP_UID, "127.0.0.1", port)).as("admissions went with unguard").isFalse();
  }

  @Test
  void anotherUidListeningOnAGuardedPortWhileTheAddonIsDownServesNobody() throws Exception {
    int addonUid = 64_903;
    int rogueUid = 64_905;
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = free.getLocalPort();
    }
    guard.guardPort(port, addonUid);
    guard.admit(APP_UID, port);

    Process rogue = serveAs(rogueUid, port);
    assertThat(connects(APP_UID, "127.0.0.1", port)).as("an admitted app, to a rogue listener").isFalse();
    rogue.destroyForcibly().waitFor(5, TimeUnit.SECONDS);

    serveAs(addonUid, port);
    assertThat(connects(APP_UID, "127.0.0.1", port)).as("an admitted app, to the add-on's own server").isTrue();
  }

  /** A TCP server on 127.0.0.1:{@code port} run as {@code uid}, once it listens. */
  private Process serveAs(int uid, int port) throws Exception {
    Process p = new ProcessBuilder("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
        Sandbox.find("node"), "-e", "require('net').createServer(s => s.end('hi')).listen(" + port
            + ", '127.0.0.1', () => console.log('ready'))")
        .redirectErrorStream(true).start();
    toClose.add(p::destroyForcibly);
    String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
    assertThat(line).as("the server as uid " + uid).isEqualTo("ready");
    return p;
  }

  @Test
  void otherHostsCannotOpenConnectionsToTheInstancePortRange() throws Exception {
    OtherHost host = OtherHost.create();
    assumeTrue(host != null, "needs ip netns and veth (iproute2)");
    toClose.add(host);
    // The API (outside the instance range) stays reachable from other hosts: the path works.
    assertThat(host.awaitConnects(api.getLocalPort())).as("the API from the other host").isTrue();
    assertThat(host.connects(otherApp.getLocalPort())).as("an instance port from the other host").isFalse();
    assertThat(connects(NOBODY, host.hostSide(), otherApp.getLocalPort()))
        .as("the same address from this machine, a port no instance holds").isTrue();

    guard.close();
    assertThat(host.connects(otherApp.getLocalPort())).as("without the guard").isTrue();
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
    try (NftNetworkGuard again = NftNetworkGuard.start(guard.table(), instancePorts, platformPorts)) {
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
    try (NftNetworkGuard next = NftNetworkGuard.start(guard.table() + "_next", instancePorts, platformPorts)) {
      assertThat(nftExit("list", "table", "inet", orphan)).as("orphaned table").isNotZero();
      assertThat(nftExit("list", "table", "inet", foreign)).as("a table that is not a guard's").isZero();
      assertThat(nftExit("list", "table", "inet", guard.table())).as("a live guard's table").isZero();
    } finally {
      nftScript("delete table inet " + foreign);
    }
  }

  @Test
  void badArgumentsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> NftNetworkGuard.start("Bad Name", PortRange.of(80), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table name");
    assertThatThrownBy(() -> guard.confine(0)).hasMessageContaining("never root");
    assertThatThrownBy(() -> guard.open(APP_UID, 70_000)).hasMessageContaining("port out of range");
    assertThatThrownBy(() -> new PortRange(30, 20)).hasMessageContaining("bad port range");
  }

  /** Whether {@code uid} (no capabilities) can open a TCP connection to host:port. */
  private static boolean connects(int uid, String host, int port) throws Exception {
    return exitsZero("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
        "timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/" + host + "/" + port);
  }

  private static boolean exitsZero(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0;
  }

  /**
   * Another host: a network namespace of its own joined to this machine by a veth pair, both ends
   * with a link-local address, so its connections to this machine arrive on a non-loopback
   * interface just as another machine's would. Traffic stays on this machine.
   */
  private record OtherHost(String namespace, String hostSide) implements AutoCloseable {
    /** The other host, or null when network namespaces or veth pairs cannot be made here. */
    static OtherHost create() throws Exception {
      if (Sandbox.find("ip") == null) return null;
      int n = ThreadLocalRandom.current().nextInt(1 << 16);
      String ns = "pier_test_" + n;
      // A random link-local /30 (169.254.100-159.x, away from 169.254.169.254) for the two ends.
      String net = "169.254." + (100 + n % 60) + ".";
      int base = 4 * ((n >> 6) % 64);
      String here = net + (base + 1);
      String there = net + (base + 2);
      String hostVeth = "pth" + n;
      String otherVeth = "ptn" + n;
      if (!exitsZero("ip", "netns", "add", ns)) return null;
      OtherHost host = new OtherHost(ns, here);
      boolean made = exitsZero("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", otherVeth)
          && exitsZero("ip", "link", "set", otherVeth, "netns", ns)
          && exitsZero("ip", "addr", "add", here + "/30", "dev", hostVeth)
          && exitsZero("ip", "link", "set", hostVeth, "up")
          && exitsZero("ip", "netns", "exec", ns, "ip", "addr", "add", there + "/30", "dev", otherVeth)
          && exitsZero("ip", "netns", "exec", ns, "ip", "link", "set", otherVeth, "up");
      if (!made) {
        host.close();
        return null;
      }
      return host;
    }

    /** Whether a TCP connection from the other host to this machine's end of the link opens. */
    boolean connects(int port) throws Exception {
      return exitsZero("ip", "netns", "exec", namespace, "timeout", "5", "bash", "-c",
          "exec 3<>/dev/tcp/" + hostSide + "/" + port);
    }

    /** {@link #connects}, tried for up to 10 s while the link comes up. */
    boolean awaitConnects(int port) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        if (connects(port)) return true;
        if (System.nanoTime() > deadline) return false;
        Thread.sleep(200);
      }
    }

    /** Deleting the namespace deletes its end of the veth pair, and so the pair. */
    @Override
    public void close() throws Exception {
      exitsZero("ip", "netns", "del", namespace);
    }
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
