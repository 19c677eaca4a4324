package dev.pier.build;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns one kind of source tree into a runnable app directory, in place. The {@link Builder}
 * asks each buildpack of its detection order in turn and uses the first that detects; an app
 * can also name its buildpacks ({@code pier buildpacks:set}), which then all run in order on the
 * same app directory (Heroku's multi-buildpack).
 *
 * <p>Implementations must run all user-controlled code (package managers, build scripts) through
 * {@link BuildContext#run}, which sandboxes it as the app's user. They may be called from any
 * thread, one build at a time per instance of {@link BuildContext}.
 */
public interface Buildpack {
  /** A short lowercase name shown in output and recorded in the result, e.g. {@code nodejs}. */
  String name();

  /** Returns whether this buildpack can build the source; must only look, never run code. */
  boolean detect(Path sourceDir);

  /**
   * Builds {@link BuildContext#appDir()} in place, writing progress to {@link
   * BuildContext#out()}, and may declare default process types, default environment variables
   * and PATH entries ({@link BuildContext#prependPath}, {@link BuildContext#prependRuntimePath}).
   *
   * @throws BuildFailure with a user-facing reason when the app cannot be built
   */
  void compile(BuildContext ctx) throws BuildFailure;

  /**
   * The app.yaml {@code runtime} values this buildpack builds, without version digits: {@code
   * nodejs} stands for {@code nodejs}, {@code nodejs20}, ... The default is the buildpack's
   * name ({@code java} builds {@code runtime: java17}); empty for none.
   */
  default List<String> runtimes() {
    return List.of(name());
  }

  /**
   * Detection with the build's context, for buildpacks that must run code to decide (a custom
   * buildpack's {@code bin/detect}, in the sandbox). Returns the language detected (shown in
   * output and recorded on the build), or null when this buildpack cannot build the app. The
   * default looks with {@link #detect(Path)} and answers {@link #name()}.
   *
   * @throws BuildFailure when detection itself could not run (a buildpack that cannot be fetched)
   */
  default String detect(BuildContext ctx) throws BuildFailure {
    return detect(ctx.appDir()) ? name() : null;
  }
}
