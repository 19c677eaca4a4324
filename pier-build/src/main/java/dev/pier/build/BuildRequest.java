package dev.pier.build;

import dev.pier.model.AppName;
import dev.pier.sandbox.AppUser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One build to run.
 *
 * @param app the app being built, used in output only
 * @param sourceDir a copy of the pushed source that Pier owns: the build runs in it, modifies it
 *     (node_modules, build output) and it is chowned to {@code user}. Every ancestor directory
 *     must be searchable (o+x) by {@code user}, because the sandbox binds it as that user.
 * @param cacheDir per-app directory that survives builds (the npm cache lives in {@code
 *     cacheDir/npm}); created if missing
 * @param slugFile where the gzipped tar of the built app is written
 * @param configVars the app's config vars, visible to build steps (PATH, HOME and
 *     npm_config_cache are always Pier's)
 * @param user the uid/gid build steps run as, or null when Pier is not root (steps then run as
 *     Pier's own user, still inside bubblewrap)
 * @param buildpacks the app's own buildpacks ({@code pier buildpacks:set}), in the order they
 *     run: built-in names, git URLs, tarballs or server directories as {@link BuildpackSource}
 *     parses them; empty to detect one from the source
 */
public record BuildRequest(
    AppName app,
    Path sourceDir,
    Path cacheDir,
    Path slugFile,
    Map<String, String> configVars,
    AppUser user,
    List<String> buildpacks) {
  public BuildRequest {
    buildpacks = List.copyOf(buildpacks == null ? List.of() : buildpacks);
    Objects.requireNonNull(app, "app");
    sourceDir = Objects.requireNonNull(sourceDir, "sourceDir").toAbsolutePath().normalize();
    cacheDir = Objects.requireNonNull(cacheDir, "cacheDir").toAbsolutePath().normalize();
    slugFile = Objects.requireNonNull(slugFile, "slugFile").toAbsolutePath().normalize();
    configVars = Map.copyOf(configVars == null ? Map.of() : configVars);
    if (slugFile.startsWith(sourceDir)) {
      throw new IllegalArgumentException("slugFile must not be inside sourceDir: " + slugFile);
    }
  }

  /** A build whose buildpack is detected from the source. */
  public BuildRequest(
      AppName app, Path sourceDir, Path cacheDir, Path slugFile, Map<String, String> configVars,
      AppUser user) {
    this(app, sourceDir, cacheDir, slugFile, configVars, user, List.of());
  }

  /** This request with the app's own buildpacks. */
  public BuildRequest withBuildpacks(List<String> sources) {
    return new BuildRequest(app, sourceDir, cacheDir, slugFile, configVars, user, sources);
  }
}
