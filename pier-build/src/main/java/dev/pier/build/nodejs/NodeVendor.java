package dev.pier.build.nodejs;

import dev.pier.build.BuildContext;
import dev.pier.build.BuildFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts a cached Node.js into the app at {@value #HOME} (Heroku's place), so the slug carries it:
 * every process of the release runs it whatever the cache and the registry hold later. The build
 * gets {@code bin/node} and, when it installs packages, the headers ({@code include/}, for native
 * addons); the headers are dropped before the slug is packed.
 */
final class NodeVendor {
  /** Where the Node.js lives in the app. */
  static final String HOME = BuildContext.APP_MOUNT + "/.heroku/node";
  /** Its bin directory, first on PATH. */
  static final String BIN = HOME + "/bin";
  private static final List<String> PARTS = List.of("bin", "LICENSE");

  private NodeVendor() {}

  /**
   * Copies the release in {@code home} (a cache directory) into the app, with its headers when
   * {@code headers} (npm will install packages, which may build native addons).
   */
  static void copy(BuildContext ctx, Path home, boolean headers) throws BuildFailure {
    Path heroku = ctx.appDir().resolve(".heroku");
    Path target = heroku.resolve("node");
    try {
      if (Files.exists(heroku, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(heroku, LinkOption.NOFOLLOW_LINKS)) {
        throw new BuildFailure(".heroku in the app is not a directory: Pier puts Node.js in .heroku/node");
      }
      Files.createDirectories(heroku);
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(target);
      }
      NodeCache.deleteTree(target);
      Files.createDirectory(target);
      List<String> parts = new java.util.ArrayList<>(PARTS);
      if (headers) parts.add("include");
      for (String part : parts) {
        Path from = home.resolve(part);
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) continue;
        try (Stream<Path> walk = Files.walk(from)) {
          for (Path p : walk.toList()) {
            Path to = target.resolve(home.relativize(p).toString());
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
              Files.createDirectories(to);
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
              Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new BuildFailure("Pier could not copy Node.js into the app: " + e.getMessage(), e);
    }
    ctx.handToApp(heroku);
  }

  /** Removes the headers once native addons are built: the slug needs only the binary. */
  static void dropHeaders(BuildContext ctx) throws BuildFailure {
    Path heroku = ctx.appDir().resolve(".heroku");
    Path node = heroku.resolve("node");
    // Build steps ran as the app's user: delete nothing through a link they may have made.
    if (!Files.isDirectory(heroku, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(node, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      NodeCache.deleteTree(node.resolve("include"));
    } catch (IOException e) {
      throw new BuildFailure("Pier could not tidy .heroku/node: " + e.getMessage(), e);
    }
  }
}
