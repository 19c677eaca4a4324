package dev.pier.runtime.local;

import dev.pier.sandbox.Cgroup;
import dev.pier.sandbox.Mount;
import dev.pier.runtime.InstanceSpec;
import dev.pier.sandbox.Sandbox;
import dev.pier.sandbox.SandboxLaunch;
import dev.pier.sandbox.SandboxSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the process that runs one instance: {@code /bin/sh -c COMMAND} in the sandbox. */
final class Launch {
  /** The PATH of an instance whose release declares none (buildpacks add theirs, e.g. node_modules/.bin). */
  static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
  private static final String HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private Launch() {}

  /**
   * The sandboxed command (not yet started), joining {@code cgroup} (if not null) before it starts, with the spec's
   * runtime mounts bound read-only. Its stdin is
   * empty (a pipe for an interactive task) and stderr is merged into stdout; the launcher itself
   * sees only a minimal PATH.
   */
  static SandboxLaunch prepare(
      Sandbox sandbox, InstanceSpec spec, Path appDir, int port, Cgroup cgroup) {
    SandboxSpec sandboxed =
        new SandboxSpec(
            spec.user(),
            appDir,
            spec.runtimeMounts().stream().map(m -> Mount.readOnly(m.source(), m.target())).toList(),
            environment(spec, port),
            command(spec),
            cgroup == null ? List.of() : cgroup.procsFiles(),
            false,
            spec.disk().tmpBytes());
    SandboxLaunch launch = sandbox.launch(sandboxed);
    ProcessBuilder builder = launch.builder();
    builder.environment().clear();
    builder.environment().put("PATH", HOST_PATH);
    builder.directory(appDir.toFile());
    builder.redirectErrorStream(true);
    if (spec.interactive() == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    return launch;
  }

  /**
   * {@code /bin/sh -c COMMAND}; for an interactive task with a terminal, run by {@code script}
   * on a pseudo-terminal of the sandbox's own devpts (bwrap {@code --dev}), sized first: the
   * launcher's stdin and stdout stay pipes, the command sees a terminal.
   */
  static List<String> command(InstanceSpec spec) {
    if (spec.interactive() == null || !spec.interactive().tty()) {
      return List.of("/bin/sh", "-c", spec.command());
    }
    String size = spec.interactive().columns() > 0 && spec.interactive().rows() > 0
        ? "stty rows " + spec.interactive().rows() + " cols " + spec.interactive().columns() + " 2>/dev/null; "
        : "";
    return List.of("/usr/bin/script", "-q", "-e", "-c",
        size + "exec /bin/sh -c " + shellQuote(spec.command()), "/dev/null");
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /**
   * The app's config vars plus what every dyno gets: PORT, DYNO, HOME, PATH and MEMORY_LIMIT (the
   * instance's memory limit as {@code 512m}, Cloud Foundry's name: the JVM cannot read the
   * sandbox's cgroup limit itself, so the Java buildpack's start command sizes the heap from it).
   */
  static Map<String, String> environment(InstanceSpec spec, int port) {
    Map<String, String> env = new HashMap<>(spec.env());
    env.put("PORT", Integer.toString(port));
    env.put("DYNO", spec.name());
    env.putIfAbsent("HOME", "/app");
    env.putIfAbsent("PATH", DEFAULT_PATH);
    if (spec.interactive() != null && spec.interactive().tty()) {
      env.putIfAbsent("TERM", "xterm-256color");
      // script(1) runs its -c command with $SHELL: the sandbox's /bin/sh unless the app says.
      env.putIfAbsent("SHELL", "/bin/sh");
    }
    if (spec.memoryLimitBytes() > 0) env.put("MEMORY_LIMIT", (spec.memoryLimitBytes() >> 20) + "m");
    return env;
  }
}
