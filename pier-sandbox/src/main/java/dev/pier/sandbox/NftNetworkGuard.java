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
 *   set instances { type inet_service; }        open(uid, port) / shut(uid, port): ports in use
 *   set shared { type inet_service; }           guardPort(port, owner) / unguard(port): add-ons
 *   set admitted { type uid . inet_service; }   guardPort's owner, admit(uid, port) / revoke
 *   set owners { type uid . inet_service; }     guardPort(port, owner) / unguard(port)
 *   chain output {                              every locally generated packet
 *     type filter hook output priority 0; policy accept;
 *     tcp flags &amp; (syn | ack) == syn jump connect
 *     tcp flags &amp; (syn | ack) == syn | ack tcp sport @shared jump shared_serve
 *     meta l4proto udp meta skuid @confined fib daddr type local jump confined_local
 *   }                                           the cheapest test first, as every packet of the
 *                                               machine passes here, and no connection tracking,
 *                                               which would cost every packet
 *   chain connect {                             a TCP connection attempt (SYN; answers pass)
 *     tcp dport @shared fib daddr type local jump shared_port
 *     tcp dport @instances fib daddr type local jump instance_port
 *     meta skuid @confined fib daddr type local jump confined_local
 *   }
 *   chain instance_port {                       to a port an instance of this server listens on
 *     meta skuid { 0, SERVER } accept           the router and readiness checks
 *     meta skuid . tcp dport @opened accept     the app that owns the port
 *     reject with tcp reset                     any other local user or app: "connection refused"
 *   }
 *   chain shared_port {                         to an add-on's port (a database of some apps)
 *     meta skuid { 0, SERVER } accept           the platform (backups, status)
 *     meta skuid . tcp dport @admitted accept   the add-on's own uid and its apps' uids
 *     reject with tcp reset                     any other app or local user
 *   }
 *   chain shared_serve {                        an answer to a connection attempt from an add-on port
 *     meta skuid { 0, SERVER } accept           the platform
 *     meta skuid . tcp sport @owners accept     the add-on's own server
 *     drop                                      anyone else listening there while the add-on's
 *   }                                           server is down never completes a connection
 *   chain confined_local {                      a confined uid (a build, an instance) to one of
 *     meta skuid . th dport @opened accept      this machine's addresses
 *     tcp dport { PROTECTED } reject with tcp reset
 *     udp dport { PROTECTED } reject
 *   }
 *   chain input {                               every packet for this machine
 *     type filter hook input priority 0; policy accept;
 *     iif != lo tcp flags &amp; (syn | ack) == syn tcp dport INSTANCES reject with tcp reset
 *     iif != lo tcp flags &amp; (syn | ack) == syn tcp dport @shared reject with tcp reset
 *   }                                           other hosts never reach the instance port range;
 * }                                             loopback (all router traffic) leaves at the first test
 * </pre>
 *
 * <p>The socket's owner uid is the app's uid because the sandbox drops to it before running app
 * code; the platform itself (root) is never matched. Locally generated packets are judged in the
 * output hook, where the socket's owner is known ({@code meta skuid}), also when they go to the
 * host's own interface addresses (they then arrive on {@code lo}); packets from other hosts are
 * judged in the input hook by their interface. Locally, only the ports this guard's instances
 * hold are closed to other users, so another Pier server's instances and a local user's own
 * server in the range are not disturbed; from other hosts the whole range is closed, also ports
 * an app listens on besides its own. Only TCP connection attempts from other hosts are matched:
 * without connection tracking a UDP answer to this machine's own query (DNS) could not be told
 * from a new datagram. Each call runs {@code nft} once (a few milliseconds), which happens when
 * instances start or stop and when builds start.
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
   * Creates the table {@code name}: {@code instancePorts} (the range instance ports come from) and
   * {@code platformPorts} (the API) are closed to {@link #confine confined} uids; instance ports
   * in use ({@link #open}) are closed to every local user but their app and the platform; the
   * instance port range is closed to other hosts.
   *
   * @throws IOException when {@code nft} is missing or refuses the table (not root, no nftables in
   *     the kernel); the message says why
   */
  public static NftNetworkGuard start(String name, PortRange instancePorts, java.util.Collection<PortRange> platformPorts)
      throws IOException {
    Objects.requireNonNull(instancePorts, "instancePorts");
    Objects.requireNonNull(platformPorts, "platformPorts");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("table name must match " + NAME + ": " + name);
    }
    String nft = Sandbox.find("nft");
    if (nft == null) throw new IOException("nft not found (Debian package nftables)");
    NftNetworkGuard guard = new NftNetworkGuard(nft, name);
    guard.deleteOrphanedTables();
    // "add" then "delete" removes a table left by an earlier run without failing when there is none.
    guard.run("add table inet " + name + "\ndelete table inet " + name + "\n"
        + definition(name, instancePorts, platformPorts, serverUid()));
    return guard;
  }

  private static String definition(String table, PortRange instancePorts, java.util.Collection<PortRange> platformPorts,
      int serverUid) {
    StringBuilder ports = new StringBuilder(instancePorts.nft());
    for (PortRange range : platformPorts) ports.append(", ").append(range.nft());
    String platformUids = serverUid == 0 ? "0" : "0, " + serverUid;
    return """
        table inet %1$s {
          comment "pier pid=%3$d"
          set confined { type uid; }
          set opened { type uid . inet_service; }
          set instances { type inet_service; }
          set shared { type inet_service; }
          set admitted { type uid . inet_service; }
          set owners { type uid . inet_service; }
          chain output {
            type filter hook output priority 0; policy accept;
            tcp flags & (syn | ack) == syn jump connect
            tcp flags & (syn | ack) == syn | ack tcp sport @shared jump shared_serve
            meta l4proto udp meta skuid @confined fib daddr type local jump confined_local
          }
          chain connect {
            tcp dport @shared fib daddr type local jump shared_port
            tcp dport @instances fib daddr type local jump instance_port
            meta skuid @confined fib daddr type local jump confined_local
          }
          chain instance_port {
            meta skuid { %5$s } accept
            meta skuid . tcp dport @opened accept
            reject with tcp reset
          }
          chain shared_port {
            meta skuid { %5$s } accept
            meta skuid . tcp dport @admitted accept
            reject with tcp reset
          }
          chain shared_serve {
            meta skuid { %5$s } accept
            meta skuid . tcp sport @owners accept
            drop
          }
          chain confined_local {
            meta skuid . th dport @opened accept
            tcp dport { %2$s } reject with tcp reset
            udp dport { %2$s } reject
          }
          chain input {
            type filter hook input priority 0; policy accept;
            iif != lo tcp flags & (syn | ack) == syn tcp dport %4$s reject with tcp reset
            iif != lo tcp flags & (syn | ack) == syn tcp dport @shared reject with tcp reset
          }
        }
        """.formatted(table, ports, ProcessHandle.current().pid(), instancePorts.nft(), platformUids);
  }

  /** This process's uid (the owner of /proc/self); root when it cannot be told. */
  private static int serverUid() {
    try {
      return (Integer) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
    } catch (IOException | RuntimeException e) {
      return 0;
    }
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
        + "add element inet " + table + " opened { " + uid + " . " + port + " }\n"
        + "add element inet " + table + " instances { " + port + " }");
  }

  @Override
  public void shut(int uid, int port) {
    checkUid(uid);
    checkPort(port);
    // "add" first so that "delete" never fails on an element that is not there.
    change("add element inet " + table + " opened { " + uid + " . " + port + " }\n"
        + "delete element inet " + table + " opened { " + uid + " . " + port + " }\n"
        + "add element inet " + table + " instances { " + port + " }\n"
        + "delete element inet " + table + " instances { " + port + " }");
  }

  /** Uids admitted to each guarded port (the owner among them), to take them all back at {@link #unguard}. */
  private final java.util.Map<Integer, java.util.Set<Integer>> admissions = new java.util.concurrent.ConcurrentHashMap<>();

  /** The uid serving each guarded port (its add-on's server), to take it back at {@link #unguard}. */
  private final java.util.Map<Integer, Integer> owners = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Also only {@code ownerUid} (and the platform) may serve on the port: another uid listening on
   * it while the add-on's server is down (a restart, Pier starting) gets its answers dropped.
   */
  @Override
  public void guardPort(int port, int ownerUid) {
    checkPort(port);
    admissions.computeIfAbsent(port, p -> java.util.concurrent.ConcurrentHashMap.newKeySet());
    StringBuilder script = new StringBuilder();
    Integer previous = ownerUid > 0 ? owners.put(port, ownerUid) : owners.remove(port);
    if (previous != null && previous != ownerUid) {
      script.append("add element inet ").append(table).append(" owners { ").append(previous).append(" . ").append(port)
          .append(" }\ndelete element inet ").append(table).append(" owners { ").append(previous).append(" . ")
          .append(port).append(" }\n");
    }
    if (ownerUid > 0) {
      script.append("add element inet ").append(table).append(" owners { ").append(ownerUid).append(" . ")
          .append(port).append(" }\n");
    }
    // The port is shared only once its owner is known, so its own server is never cut off.
    script.append("add element inet ").append(table).append(" shared { ").append(port).append(" }");
    change(script.toString());
    if (ownerUid > 0) admit(ownerUid, port);
  }

  @Override
  public void admit(int uid, int port) {
    checkUid(uid);
    checkPort(port);
    admissions.computeIfAbsent(port, p -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(uid);
    change("add element inet " + table + " admitted { " + uid + " . " + port + " }");
  }

  @Override
  public void revoke(int uid, int port) {
    checkUid(uid);
    checkPort(port);
    java.util.Set<Integer> uids = admissions.get(port);
    if (uids != null) uids.remove(uid);
    change("add element inet " + table + " admitted { " + uid + " . " + port + " }\n"
        + "delete element inet " + table + " admitted { " + uid + " . " + port + " }");
  }

  @Override
  public void unguard(int port) {
    checkPort(port);
    StringBuilder script = new StringBuilder();
    java.util.Set<Integer> uids = admissions.remove(port);
    Integer owner = owners.remove(port);
    if (owner != null) {
      script.append("add element inet ").append(table).append(" owners { ").append(owner).append(" . ").append(port)
          .append(" }\ndelete element inet ").append(table).append(" owners { ").append(owner).append(" . ")
          .append(port).append(" }\n");
    }
    for (int uid : uids == null ? java.util.Set.<Integer>of() : uids) {
      script.append("add element inet ").append(table).append(" admitted { ").append(uid).append(" . ").append(port)
          .append(" }\ndelete element inet ").append(table).append(" admitted { ").append(uid).append(" . ")
          .append(port).append(" }\n");
    }
    script.append("add element inet ").append(table).append(" shared { ").append(port).append(" }\n")
        .append("delete element inet ").append(table).append(" shared { ").append(port).append(" }");
    change(script.toString());
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
