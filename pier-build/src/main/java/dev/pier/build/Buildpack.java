package dev.pier.build;

import java.nio.file.Path;

/**
 * Turns one kind of source tree into a runnable app directory, in place. The {@link Builder}
 * asks each buildpack of its detection order in turn and uses the first that detects.
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
   * BuildContext#out()}, and may declare default process types.
   *
   * @throws BuildFailure with a user-facing reason when the app cannot be built
   */
  void compile(BuildContext ctx) throws BuildFailure;
}
