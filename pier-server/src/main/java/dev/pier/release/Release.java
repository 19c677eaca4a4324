package dev.pier.release;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable, numbered release: a slug plus the config vars ({@code env}), the variables the
 * build declared ({@code buildEnv}, from app.yaml) and the process commands it runs with. Every
 * release can run as a version and take a share of the app's traffic.
 *
 * @param failed true when its instances never became ready, so it never took traffic
 * @param readinessPath HTTP path that must answer 2xx before its web instances get traffic, or
 *     null to wait only for the port
 * @param commit the git commit the slug was built from (a push; config changes and rollbacks keep
 *     their slug's commit), or null for uploads
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
    Map<String, String> processes,
    boolean failed,
    String readinessPath,
    String commit) {
  public Release {
    env = Map.copyOf(env);
    buildEnv = Map.copyOf(buildEnv);
    processes = Collections.unmodifiableMap(new LinkedHashMap<>(processes));
  }

  /** The environment instances get: build-time variables (app.yaml) overridden by config vars. */
  public Map<String, String> instanceEnv() {
    Map<String, String> merged = new TreeMap<>(buildEnv);
    merged.putAll(env);
    return merged;
  }

  public String name() {
    return "v" + version;
  }
}
