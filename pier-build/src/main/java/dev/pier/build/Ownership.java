package dev.pier.build;

import dev.pier.sandbox.AppUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Hands directories to an app's user before its build runs in them, and checks the user can
 * reach them at all (the sandbox binds them after dropping to that user).
 */
final class Ownership {
  private static final long CHOWN_TIMEOUT_MINUTES = 5;

  /** Fails unless every ancestor of {@code dir} can be searched by {@code user}. */
  void requireReachable(Path dir, AppUser user) throws BuildFailure, IOException {
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      int owner = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      int group = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
      boolean searchable =
          perms.contains(PosixFilePermission.OTHERS_EXECUTE)
              || (owner == user.uid() && perms.contains(PosixFilePermission.OWNER_EXECUTE))
              || (group == user.gid() && perms.contains(PosixFilePermission.GROUP_EXECUTE));
      if (!searchable) {
        throw new BuildFailure("Pier cannot run builds in " + dir + ": " + p
            + " is not searchable by uid " + user.uid() + " (it needs o+x)");
      }
    }
  }

  /** Runs {@code chown -R} without following symbolic links. */
  void chown(Path dir, AppUser user) throws BuildFailure, IOException {
    Process process =
        new ProcessBuilder(
                "chown", "-R", "-P", "-h", user.uid() + ":" + user.gid(), dir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      process.getOutputStream().close();
      if (!process.waitFor(CHOWN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new BuildFailure("Pier could not hand " + dir + " to the app user: chown timed out");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new BuildFailure("Pier could not hand " + dir + " to the app user: chown exited "
            + process.exitValue() + ": " + output.strip());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BuildFailure("build was cancelled");
    }
  }
}
