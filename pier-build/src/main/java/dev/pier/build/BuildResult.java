package dev.pier.build;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The outcome of {@link Builder#build}: a slug with its process types, or a reason it failed. */
public sealed interface BuildResult {

  /**
   * The app built.
   *
   * @param slug the gzipped tar of the built app; entries are relative to the app root (no
   *     leading {@code ./}), with permission bits and symlinks preserved
   * @param processTypes process type to command, {@code web} first, then in Procfile order; empty
   *     for a static site ({@link #staticSite()})
   * @param env variables from app.yaml {@code env_variables}, to set at run time
   * @param buildpack name of the buildpack that built it ({@code nodejs}, {@code procfile}); with
   *     several, their names joined by {@code ", "} in the order they ran (a custom buildpack is
   *     named by its source)
   * @param slugBytes size of the slug file
   * @param readinessPath app.yaml {@code readiness_check.path}, or null
   * @param scaling what app.yaml says about instance counts, autoscaling and sizes, for the server
   *     to apply when it creates the release ({@link AppScaling#NONE} without app.yaml)
   * @param language what the buildpacks detected, e.g. {@code nodejs}, or a custom {@code
   *     bin/detect}'s first line; several joined by {@code ", "}
   * @param runtime the language runtime it builds and runs with, e.g. {@code Node.js 22.12.0}, or
   *     null when no buildpack said
   */
  record Succeeded(
      Path slug,
      Map<String, String> processTypes,
      Map<String, String> env,
      String buildpack,
      long slugBytes,
      String readinessPath,
      AppScaling scaling,
      String language,
      String runtime)
      implements BuildResult {
    public Succeeded {
      language = language == null || language.isBlank() ? buildpack : language;
      Objects.requireNonNull(slug, "slug");
      Objects.requireNonNull(buildpack, "buildpack");
      if (processTypes.isEmpty() && !buildpack.equals(dev.pier.build.staticsite.StaticSiteBuildpack.NAME)) {
        throw new IllegalArgumentException("no process types");
      }
      processTypes = Collections.unmodifiableMap(new LinkedHashMap<>(processTypes));
      env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
      scaling = scaling == null ? AppScaling.NONE : scaling;
    }

    /** A build whose runtime no buildpack named. */
    public Succeeded(Path slug, Map<String, String> processTypes, Map<String, String> env,
        String buildpack, long slugBytes, String readinessPath, AppScaling scaling, String language) {
      this(slug, processTypes, env, buildpack, slugBytes, readinessPath, scaling, language, null);
    }

    /** A build whose language is its buildpack's name. */
    public Succeeded(Path slug, Map<String, String> processTypes, Map<String, String> env,
        String buildpack, long slugBytes, String readinessPath, AppScaling scaling) {
      this(slug, processTypes, env, buildpack, slugBytes, readinessPath, scaling, null);
    }

    /** A build whose app.yaml (if any) says nothing about scaling or sizes. */
    public Succeeded(Path slug, Map<String, String> processTypes, Map<String, String> env,
        String buildpack, long slugBytes, String readinessPath) {
      this(slug, processTypes, env, buildpack, slugBytes, readinessPath, AppScaling.NONE);
    }

    /**
     * True for a static site: the slug holds the files ({@link
     * dev.pier.build.staticsite.StaticSlug}) and the router serves them; there is no process.
     */
    public boolean staticSite() {
      return processTypes.isEmpty();
    }

    /** The slug size the way Heroku prints it after "Compressing... Done:", e.g. {@code 1.2M}. */
    public String slugSize() {
      return humanSize(slugBytes);
    }

    static String humanSize(long bytes) {
      if (bytes < 1024) return bytes + "B";
      if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1fK", bytes / 1024.0);
      if (bytes < 1024L * 1024 * 1024) {
        return String.format(Locale.ROOT, "%.1fM", bytes / (1024.0 * 1024));
      }
      return String.format(Locale.ROOT, "%.1fG", bytes / (1024.0 * 1024 * 1024));
    }
  }

  /**
   * The build did not produce a slug.
   *
   * @param reason one sentence naming the problem, e.g. {@code npm ci failed (exit code 1)}
   */
  record Failed(String reason) implements BuildResult {
    public Failed {
      if (reason == null || reason.isBlank()) throw new IllegalArgumentException("empty reason");
    }
  }
}
