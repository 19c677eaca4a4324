package dev.pier.statics;

import dev.pier.build.AppServing;
import dev.pier.build.AppYaml;
import dev.pier.build.BuildFailure;
import dev.pier.build.LivenessCheck;
import dev.pier.runtime.Probes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the app.yaml inside a release's slug says about serving ({@link AppServing}): handlers
 * and health checks. The slug is immutable and every release keeps its slug (config changes and
 * rollbacks share it), so reading app.yaml from it is how these settings persist per release,
 * across server restarts, without a column of their own. Read once per slug, then kept (up to
 * {@value #MAX_SLUGS} slugs).
 *
 * <p>Thread-safe.
 */
public final class SlugAppYaml {
  private static final Logger LOG = LoggerFactory.getLogger(SlugAppYaml.class);
  private static final int MAX_SLUGS = 1024;
  private static final long MAX_APP_YAML = 1024 * 1024;
  private static final Map<Path, AppServing> KNOWN = new ConcurrentHashMap<>();

  private SlugAppYaml() {}

  /** The serving settings of the slug at {@code slug}; {@link AppServing#NONE} without app.yaml. */
  public static AppServing serving(Path slug) {
    if (slug == null) return AppServing.NONE;
    AppServing hit = KNOWN.get(slug);
    if (hit != null) return hit;
    try {
      if (!Files.isRegularFile(slug) || Files.size(slug) == 0) return AppServing.NONE;
    } catch (IOException e) {
      return AppServing.NONE;
    }
    AppServing read = read(slug);
    if (KNOWN.size() >= MAX_SLUGS) KNOWN.clear();
    KNOWN.put(slug, read);
    return read;
  }

  /** The health probes of web instances of the slug at {@code slug}. */
  public static Probes probes(Path slug) {
    AppServing s = serving(slug);
    if (s.readinessIntervalSeconds() == null && s.liveness() == null) return Probes.NONE;
    LivenessCheck l = s.liveness();
    return new Probes(
        s.readinessIntervalSeconds() == null ? null : Duration.ofSeconds(s.readinessIntervalSeconds()),
        l == null ? null : new Probes.Liveness(l.path(), Duration.ofSeconds(l.intervalSeconds()),
            Duration.ofSeconds(l.timeoutSeconds()), l.failureThreshold(), l.successThreshold(),
            Duration.ofSeconds(l.initialDelaySeconds())));
  }

  private static AppServing read(Path slug) {
    try (InputStream in = Files.newInputStream(slug);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        if (!name.equals(AppYaml.FILE_NAME) || !e.isFile() || e.isSymbolicLink() || e.getSize() > MAX_APP_YAML) continue;
        return AppYaml.parse(new String(tar.readAllBytes(), StandardCharsets.UTF_8)).serving();
      }
    } catch (IOException | BuildFailure | RuntimeException e) {
      LOG.warn("cannot read app.yaml of the slug {}: {}", slug, e.toString());
    }
    return AppServing.NONE;
  }
}
