package dev.pier.datastores.run;

import dev.pier.sandbox.Mount;
import java.util.List;
import java.util.Map;

/**
 * One server command to run in an add-on's sandbox.
 *
 * @param command argv inside the sandbox (the data dir is {@code /app})
 * @param env the server's whole environment ({@code HOME=/app} and {@code PATH} are added)
 * @param processName the name of the server's main process ({@code postgres}, {@code redis-server},
 *     {@code beam.smp}): its pid is what status reports
 * @param mounts further folders of the add-on in its sandbox, beside {@code /app}
 */
public record ServerLaunch(List<String> command, Map<String, String> env, String processName, List<Mount> mounts) {
  public ServerLaunch {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    mounts = List.copyOf(mounts);
  }

  public ServerLaunch(List<String> command, Map<String, String> env, String processName) {
    this(command, env, processName, List.of());
  }
}
