package dev.pier.datastores.run;

import java.util.List;
import java.util.Map;

/**
 * One server command to run in an add-on's sandbox.
 *
 * @param command argv inside the sandbox (the data dir is {@code /app})
 * @param env the server's whole environment ({@code HOME=/app} and {@code PATH} are added)
 * @param processName the name of the server's main process ({@code postgres}, {@code redis-server},
 *     {@code beam.smp}): its pid is what status reports
 */
public record ServerLaunch(List<String> command, Map<String, String> env, String processName) {
  public ServerLaunch {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }
}
