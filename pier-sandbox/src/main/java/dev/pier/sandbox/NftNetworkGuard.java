package dev.pier.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link NetworkGuard} made of one nftables table of its own ({@code inet NAME}, so IPv4 and
 * IPv6 alike), which it creates at {@link #start} (replacing a table of that name left by an
 * earlier run) and deletes at {@link #close}. Needs root (CAP_NET_ADMIN) and the {@code nft}
 * command (Debian package nftables). The table's comment names the owning process; a start also
 * deletes other guards' tables whose process is gone (a server killed with SIGKILL), since their
 * rules would keep confining uids that a new server hands out again.
 *
 * <pre>
 * table inet NAME {
 *   set confined { type uid; }                  confine(uid), open(uid, port)
 *   set opened { type uid . inet_service; }     open(uid, port) / shut(uid, port)
 *   chain output {                              every locally generated packet
 *     type filter hook output priority 0; policy accept;
 *     tcp flags &amp; (syn | ack) == syn meta skuid @confined fib daddr type local jump confined_local
 *     meta l4proto udp meta skuid @confined fib daddr type local jump confined_local
 *   }                                           a TCP connection attempt (SYN; answers pass) or a
 *                                               UDP datagram; the cheapest test first, as every
 *                                               packet of the machine passes here, and no
 *                                               connection tracking, which would cost every packet
 *   chain confined_local {                      a confined uid to one of this machine's addresses
 *     meta skuid . th dport @opened accept
 *     tcp dport { PROTECTED } reject with tcp reset    connect() fails at once: "connection refused"
 *     udp dport { PROTECTED } reject
 *   }
 * }
 * </pre>
 *
 * <p>The socket's owner uid is the app's uid because the sandbox drops to it before running app
 * code; the platform itself (root) is never matched. Each call runs {@code nft} once (a few
 * milliseconds), which happens when instances start or stop and when builds start.
 */
public final class NftNetworkGuard implements NetworkGuard {
  private static final Logger LOG = LoggerFactory.getLogger(NftNetworkGuard.class);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,30}");
  private static final long NFT_TIMEOUT_SECONDS = 10;
  private static final Pattern OWNER = Pattern.compile("comment \"pier pid=(\\d+)\"");

  private final String nft;
  private final String table;
  private volatile boolean closed;

  private NftNetworkGuard(String nft, String table) {
    this.nft = nft;
    this.table = table;
  }

  /**
   * Creates the table {@code name} with {@code publicPorts} (the router's) open to every confined
   * uid.
   *
   * @throws IOException when {@code nft} is missing or refuses the table (not root, no nftables in
   *     the kernel); the message says why
   */
  public static NftNetworkGuard start(String name, java.util.Collection<PortRange> protectedPorts) throws IOException {
    Objects.requireNonNull(protectedPorts, "protectedPorts");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("table name must match " + NAME + ": " + name);
    }
    if (protectedPorts.isEmpty()) throw new IllegalArgumentException("at least one protected port is needed");
    String nft = Sandbox.find("nft");
    if (nft == null) throw new IOException("nft not found (Debian package nftables)");
    NftNetworkGuard guard = new NftNetworkGuard(nft, name);
    guard.deleteOrphanedTables();
    // "add" then "delete" removes a table left by an earlier run without failing when there is none.
    guard.run("add table inet " + name + "\ndelete table inet " + name + "\n" + definition(name, protectedPorts));
    return guard;
  }

  private static String definition(String table, java.util.Collection<PortRange> protectedPorts) {
    StringBuilder ports = new StringBuilder();
    for (PortRange range : protectedPorts) ports.append(ports.isEmpty() ? "" : ", ").append(range.nft());
    return """
        table inet %1$s {
          comment "pier pid=%3$d"
          set confined { type uid; }
          set opened { type uid . inet_service; }
          chain output {
            type filter hook output priority 0; policy accept;
            tcp flags & (syn | ack) == syn meta skuid @confined fib daddr type local jump confined_local
            meta l4proto udp meta skuid @confined fib daddr type local jump confined_local
          }
          chain confined_local {
            meta skuid . th dport @opened accept
            tcp dport { %2$s } reject with tcp reset
            udp dport { %2$s } reject
          }
        }
        """.formatted(table, ports, ProcessHandle.current().pid());
  }

  /** Deletes tables of guards ({@code pier pid=N} comment) whose process no longer runs. */
  private void deleteOrphanedTables() {
    try {
      for (String line : output("list tables").lines().toList()) {
        String[] words = line.trim().split("\\s+");
        if (words.length != 3 || !words[0].equals("table") || !words[1].equals("inet") || words[2].equals(table)) continue;
        java.util.regex.Matcher owner = OWNER.matcher(output("list table inet " + words[2]));
        if (!owner.find()) continue; // not a guard's table
        long pid = Long.parseLong(owner.group(1));
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
        LOG.info("deleting nftables table {} of Pier process {}, which no longer runs", words[2], pid);
        run("delete table inet " + words[2]);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not look for orphaned nftables tables: {}", e.getMessage());
    }
  }

  /** The nftables table this guard owns. */
  public String table() {
    return table;
  }

  @Override
  public void confine(int uid) {
    checkUid(uid);
    change("add element inet " + table + " confined { " + uid + " }");
  }

  @Override
  public void open(int uid, int port) {
    checkUid(uid);
    checkPort(port);
    change("add element inet " + table + " confined { " + uid + " }\n"
        + "add element inet " + table + " opened { " + uid + " . " + port + " }");
  }

  @Override
  public void shut(int uid, int port) {
    checkUid(uid);
    checkPort(port);
    // "add" first so that "delete" never fails on an element that is not there.
    change("add element inet " + table + " opened { " + uid + " . " + port + " }\n"
        + "delete element inet " + table + " opened { " + uid + " . " + port + " }");
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      run("add table inet " + table + "\ndelete table inet " + table);
    } catch (IOException e) {
      LOG.warn("could not remove nftables table {}: {}", table, e.getMessage());
    }
  }

  private void change(String commands) {
    if (closed) return;
    try {
      run(commands);
    } catch (IOException e) {
      LOG.warn("network guard: nft failed ({}): {}", commands.replace('\n', ';'), e.getMessage());
    }
  }

  /** Runs {@code nft -f -} with {@code script} on stdin; throws with nft's message if it fails. */
  private void run(String script) throws IOException {
    output(script);
  }

  /**
   * Runs {@code nft -f -} with {@code script} on stdin and returns what it printed; gives up (and
   * kills it) after {@link #NFT_TIMEOUT_SECONDS}.
   */
  private String output(String script) throws IOException {
    Process p = new ProcessBuilder(nft, "-f", "-").redirectErrorStream(true).start();
    java.util.concurrent.CompletableFuture<String> printed = new java.util.concurrent.CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        printed.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        printed.complete("");
      }
    });
    try (OutputStream in = p.getOutputStream()) {
      in.write(script.getBytes(StandardCharsets.UTF_8));
    }
    try {
      if (!p.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("nft did not finish within " + NFT_TIMEOUT_SECONDS + " s");
      }
      String output = printed.get(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (p.exitValue() != 0) {
        throw new IOException("nft exited with " + p.exitValue() + (output.isEmpty() ? "" : ": " + output));
      }
      return output;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running nft", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException("could not read nft's output", e);
    }
  }

  private static void checkUid(int uid) {
    if (uid <= 0) throw new IllegalArgumentException("uid must be positive (never root): " + uid);
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
  }
}
