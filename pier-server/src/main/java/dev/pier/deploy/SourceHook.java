package dev.pier.deploy;

import dev.pier.build.BuildOutput;
import dev.pier.model.AppName;
import dev.pier.release.Release;
import java.nio.file.Path;

/**
 * Reads files of a pushed source tree that are not the build's business (such as {@code
 * cron.yaml}) before the build, and acts on them once the release is launched and promoted.
 */
@FunctionalInterface
public interface SourceHook {
  /** Reads nothing, does nothing. */
  SourceHook NONE = (app, source) -> (release, out) -> {};

  /** What to do once the new release serves the app. */
  @FunctionalInterface
  interface OnRelease {
    void released(Release release, BuildOutput out);
  }

  /** Fails the deploy; the message names the file and line. */
  final class Rejected extends Exception {
    public Rejected(String message) {
      super(message);
    }
  }

  /**
   * Reads and checks {@code sourceDir} (not changing it) before the build.
   *
   * @throws Rejected when a file is malformed: the deploy fails with its message
   */
  OnRelease read(AppName app, Path sourceDir) throws Rejected;
}
