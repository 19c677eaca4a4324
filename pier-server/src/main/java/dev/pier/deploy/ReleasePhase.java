package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.build.BuildOutput;
import dev.pier.release.Release;
import java.util.Optional;

/**
 * Heroku's release phase: the {@code release:} command of a Procfile runs once, after the build
 * and before the new release gets any instance or traffic, with the new release's slug and config
 * vars (so a migration sees {@code DATABASE_URL}). Its output streams into the deploy's output
 * and the app's logs; a non-zero exit fails the release, and the release that served keeps
 * serving. {@code release} is never a process type of the formation.
 */
public interface ReleasePhase {
  /** The Procfile process type that names the release command. */
  String TYPE = "release";

  /**
   * Runs the release command of {@code release}, if it has one, and blocks until it ends.
   *
   * @return empty when it succeeded or there is none, else why the release fails
   */
  Optional<String> run(App app, Release release, BuildOutput out) throws InterruptedException;

  /** True when {@code release} has a release command. */
  static boolean declared(Release release) {
    return release.processes().containsKey(TYPE);
  }

  /** Runs nothing and says so when a release declares a command (for wiring without a runtime). */
  ReleasePhase NONE = (app, release, out) -> {
    if (declared(release)) out.warn("The release command was not run: this Pier runs no release phase");
    return Optional.empty();
  };
}
