package dev.pier.build;

import dev.pier.model.StaticHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which of an app's files its app.yaml static handlers may serve, and the build's check that
 * they exist: every {@code static_dir} must be a directory inside the built app (a build
 * failure otherwise); a {@code static_files} handler whose {@code upload} matches no file is a
 * warning (App Engine deploys it too, and answers 404).
 */
public final class HandlerFiles {
  private HandlerFiles() {}

  /**
   * True when the app file {@code relative} (slash-separated, relative to the app root) is under
   * a {@code static_dir} or matches an {@code upload} of {@code handlers}.
   */
  public static boolean servable(List<StaticHandler> handlers, String relative) {
    for (StaticHandler h : handlers) {
      switch (h.kind()) {
        case DIR -> {
          if (relative.startsWith(h.target() + "/")) return true;
        }
        case FILES -> {
          if (h.uploads(relative)) return true;
        }
        case APP -> { }
      }
    }
    return false;
  }

  /** Checks the handlers' files in the built app {@code dir}. */
  static void check(Path dir, AppServing serving, BuildOutput out) throws BuildFailure, IOException {
    if (!serving.hasStaticHandlers()) return;
    Path root = dir.toRealPath();
    List<String> files = null;
    for (StaticHandler h : serving.handlers()) {
      if (h.kind() == StaticHandler.Kind.DIR) {
        Path d = root.resolve(h.target()).normalize();
        boolean inside = d.startsWith(root) && Files.isDirectory(d)
            && d.toRealPath().startsWith(root);
        if (!inside) {
          throw new BuildFailure("app.yaml handler " + h.urlText() + ": static_dir '" + h.target()
              + "' is not a directory of the app");
        }
      } else if (h.kind() == StaticHandler.Kind.FILES) {
        if (files == null) files = list(root);
        if (files.stream().noneMatch(f -> h.uploads(f))) {
          out.warn("app.yaml handler " + h.urlText() + ": upload '" + h.upload().pattern()
              + "' matches no file of the app (its requests will get 404)");
        }
      }
    }
  }

  private static List<String> list(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> Files.isRegularFile(p) && !root.relativize(p).toString().startsWith(".git/"))
          .limit(200_000)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .toList();
    }
  }
}
