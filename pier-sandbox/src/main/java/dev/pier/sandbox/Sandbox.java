package dev.pier.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link SandboxSpec} into the argv that runs it isolated: a tiny {@code sh} launcher
 * joins the cgroups (ProcessBuilder has no pre-exec hook), then execs {@code setpriv} to drop to
 * the app's uid with no capabilities and no-new-privs, which execs {@code bwrap} with fresh
 * namespaces (all but the network), a read-only {@code /usr} and {@code /etc} subset, a private
 * {@code /tmp} (a tmpfs of {@code spec.tmpBytes()} at most) and only {@code /app} (plus explicit
 * mounts) writable.
 *
 * <p>Inside, {@code /app} is the working directory and the environment is exactly
 * {@code spec.env()} (plus bwrap's {@code PWD=/app}). The environment never appears on a command
 * line, where every local user could read it in {@code ps} or {@code /proc/PID/cmdline}: bwrap
 * reads its {@code --setenv} pairs with {@code --args 3} from a file only Pier's user can read,
 * which the launcher opens and deletes before it drops privileges (see {@link SandboxLaunch}).
 * Stopping must go through the cgroup (signal every pid in cgroup.procs): signalling only the
 * outer process can leave children running.
 */
public final class Sandbox {
  /**
   * Files from the host /etc that programs need (DNS, TLS roots, user names, time zone; Debian's
   * Maven reads its launcher config and logging setup from /etc/maven, but not the operator's
   * settings.xml there, which may hold repository credentials).
   */
  private static final List<String> ETC =
      List.of(
          "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group",
          "/etc/localtime", "/etc/ssl", "/etc/ca-certificates", "/etc/alternatives",
          "/etc/ld.so.cache", "/etc/mime.types", "/etc/maven/m2.conf", "/etc/maven/logging");

  /**
   * Debian's OpenJDK packages keep their configuration (java.security above all, without which
   * no JVM starts) in /etc/java-N-openjdk, symlinked from the JDK under /usr/lib/jvm.
   */
  private static final List<String> DEBIAN_JDK_CONFIG = debianJdkConfig();

  private static List<String> debianJdkConfig() {
    try (var dirs = Files.newDirectoryStream(Path.of("/etc"), "java-*-openjdk")) {
      List<String> found = new ArrayList<>();
      for (Path dir : dirs) {
        if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) found.add(dir.toString());
      }
      found.sort(null);
      return List.copyOf(found);
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Sandbox.class);
  private static final java.util.concurrent.ConcurrentMap<String, Boolean> SIZE_SUPPORT =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final String bwrap;
  private final String setpriv;
  private final boolean tmpSize;

  public Sandbox(String bwrap, String setpriv) {
    this.bwrap = bwrap;
    this.setpriv = setpriv;
    this.tmpSize = bwrap != null && SIZE_SUPPORT.computeIfAbsent(bwrap, Sandbox::supportsSize);
  }

  /** True when this bwrap (0.8 or later) can cap a tmpfs with {@code --size}. */
  private static boolean supportsSize(String bwrap) {
    try {
      Process help = new ProcessBuilder(bwrap, "--help").redirectErrorStream(true).start();
      String text = new String(help.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      help.waitFor();
      if (text.contains("--size")) return true;
    } catch (java.io.IOException e) {
      // Reported below like any bwrap without --size.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.warn("{} has no --size option (bubblewrap 0.8 or later has it): /tmp of builds and instances"
        + " is not capped", bwrap);
    return false;
  }

  /** The sandbox using bwrap and setpriv from PATH. */
  public static Sandbox system() {
    return new Sandbox(find("bwrap"), find("setpriv"));
  }

  /** Returns a message naming what is missing to run sandboxes here, or null if nothing is. */
  public static String missingTools() {
    List<String> missing = new ArrayList<>();
    if (find("bwrap") == null) missing.add("bwrap (Debian package bubblewrap)");
    if (find("setpriv") == null) missing.add("setpriv (Debian package util-linux)");
    return missing.isEmpty() ? null : "missing " + String.join(", ", missing);
  }

  /** True when this process runs as root and can therefore drop to per-app uids. */
  public static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * The sandboxed process for {@code spec}, not yet started: configure its {@link
   * SandboxLaunch#builder() builder} (directory, redirects, further bwrap options), then {@link
   * SandboxLaunch#start() start} it.
   */
  public SandboxLaunch launch(SandboxSpec spec) {
    Path envFile = spec.env().isEmpty() ? null : EnvFiles.next();
    return new SandboxLaunch(command(spec, envFile), spec.env(), envFile);
  }

  /** The argv of {@code spec}, whose environment bwrap reads from {@code envFile} (null: empty). */
  List<String> command(SandboxSpec spec, Path envFile) {
    List<String> argv = new ArrayList<>();
    StringBuilder script = new StringBuilder();
    if (envFile != null) {
      // Opened as fd 3 (bwrap --args 3) and unlinked while still root: nothing after this sees it.
      String quoted = shellQuote(envFile.toString());
      script.append("exec 3< ").append(quoted).append(" && rm -f ").append(quoted).append(" || exit 126; ");
    }
    for (Path procs : spec.cgroupProcs()) {
      script.append("echo $$ > ").append(shellQuote(procs.toString())).append(" || exit 126; ");
    }
    if (!script.isEmpty()) {
      script.append("exec \"$@\"");
      argv.addAll(List.of("/bin/sh", "-c", script.toString(), "pier-launch"));
    }
    if (spec.user() != null) {
      argv.addAll(
          List.of(
              setpriv,
              "--reuid=" + spec.user().uid(),
              "--regid=" + spec.user().gid(),
              "--clear-groups",
              "--inh-caps=-all",
              "--bounding-set=-all",
              "--no-new-privs"));
    }
    argv.add(bwrap);
    argv.addAll(
        List.of(
            "--unshare-all", "--share-net", "--new-session",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin",
            "--symlink", "usr/sbin", "/sbin",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--proc", "/proc",
            "--dev", "/dev"));
    // bwrap 0.8+: --size caps the next tmpfs; writes past it fail with ENOSPC.
    if (spec.tmpBytes() > 0 && tmpSize) argv.addAll(List.of("--size", Long.toString(spec.tmpBytes())));
    argv.addAll(List.of("--tmpfs", "/tmp"));
    if (spec.endsWithCommand()) argv.add("--as-pid-1");
    for (String etc : ETC) {
      if (Files.exists(Path.of(etc))) argv.addAll(List.of("--ro-bind", etc, etc));
    }
    for (String etc : DEBIAN_JDK_CONFIG) argv.addAll(List.of("--ro-bind", etc, etc));
    argv.addAll(List.of("--bind", spec.appDir().toString(), "/app"));
    for (Mount mount : spec.mounts()) {
      argv.addAll(
          List.of(mount.writable() ? "--bind" : "--ro-bind", mount.source().toString(), mount.target()));
    }
    // The root is bwrap's own tmpfs: make it read-only so only /app, /tmp and explicit writable
    // mounts can be written.
    argv.addAll(List.of("--remount-ro", "/", "--chdir", "/app", "--clearenv"));
    // --clearenv acts where it stands, so the --setenv pairs read from fd 3 come after it.
    if (envFile != null) argv.addAll(List.of("--args", "3"));
    argv.add("--");
    argv.addAll(spec.command());
    return argv;
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  static String find(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) return p.toString();
    }
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) return p.toString();
    }
    return null;
  }
}
