package dev.pier.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One sandboxed process, ready to start once. Its {@link #builder()} holds the argv (callers may
 * add bwrap options to {@code builder().command()}, set the directory, redirects and the
 * launcher's own environment, which never reaches the sandboxed command). {@link #start()} writes
 * the environment file just before starting; the launcher deletes it once open, and it is
 * deleted here too when the process could not start or has ended, whichever comes first.
 */
public final class SandboxLaunch {
  private final ProcessBuilder builder;
  private final Map<String, String> env;
  private final Path envFile;

  SandboxLaunch(List<String> argv, Map<String, String> env, Path envFile) {
    this.builder = new ProcessBuilder(new ArrayList<>(argv));
    this.env = env;
    this.envFile = envFile;
  }

  /** The process builder to configure before {@link #start()}. */
  public ProcessBuilder builder() {
    return builder;
  }

  /** Starts the process. */
  public Process start() throws IOException {
    if (envFile != null) EnvFiles.write(envFile, env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      if (envFile != null) EnvFiles.delete(envFile);
      throw e;
    }
    if (envFile != null) process.onExit().thenRun(() -> EnvFiles.delete(envFile));
    return process;
  }
}
