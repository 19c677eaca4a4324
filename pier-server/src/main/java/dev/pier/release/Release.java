package dev.pier.release;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * An immutable, numbered release: a slug plus the config vars ({@code env}), the variables the
 * build declared ({@code buildEnv}, from app.yaml) and the process commands it runs with.
 */
public record Release(
    String app,
    int version,
    Path slug,
    String description,
    String createdBy,
    Instant createdAt,
    Map<String, String> env,
    Map<String, String> buildEnv,
    Map<String, String> processes) {
  public Release {
    env = Map.copyOf(env);
    buildEnv = Map.copyOf(buildEnv);
    processes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(processes));
  }

  /** The environment instances get: build-time variables (app.yaml) overridden by config vars. */
  public Map<String, String> instanceEnv() {
    Map<String, String> merged = new java.util.TreeMap<>(buildEnv);
    merged.putAll(env);
    return merged;
  }

  public String name() {
    return "v" + version;
  }
}
