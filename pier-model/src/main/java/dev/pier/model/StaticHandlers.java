package dev.pier.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The app.yaml handlers of a version served by instances, with the directory holding the files
 * its static handlers may serve (the handler directories and uploaded files of the release, by
 * their app-relative paths). Handlers are tried in order; the first whose url matches decides.
 * A path no handler matches goes to the instances.
 *
 * @param root the directory of the release's static files (absolute in a route)
 * @param handlers in app.yaml order
 */
public record StaticHandlers(Path root, List<StaticHandler> handlers) {
  public StaticHandlers {
    Objects.requireNonNull(root, "root");
    handlers = List.copyOf(handlers);
  }

  /**
   * What answers a request for {@code path} (decoded, without the query).
   *
   * @param handler the first handler matching, never {@link StaticHandler.Kind#APP}
   * @param file the app-relative file to serve, or null when the path tries to leave the
   *     handler's files ({@code ..}, {@code .}, a backslash, NUL, an absolute name): answered 400
   */
  public record Match(StaticHandler handler, String file) {}

  /**
   * The static handler answering {@code path}, or null when the instances answer it: also when
   * the path is longer than {@link BoundedRegex#MAX_INPUT} or a handler's url took too long to
   * match it (logged once per handler).
   */
  public Match match(String path) {
    if (handlers.isEmpty() || path.length() > BoundedRegex.MAX_INPUT) return null;
    for (StaticHandler h : handlers) {
      String file;
      try {
        file = h.fileFor(path);
      } catch (BoundedRegex.OverBudget e) {
        OverBudgetLog.once(h, "url");
        return null;
      }
      if (file == null) continue;
      if (h.kind() == StaticHandler.Kind.APP) return null;
      return new Match(h, confined(file) ? file : null);
    }
    return null;
  }

  /** This with its files in another directory. */
  public StaticHandlers withRoot(Path newRoot) {
    return new StaticHandlers(newRoot, handlers);
  }

  /** True for a relative path with no {@code .} or {@code ..} segment, backslash or NUL. */
  public static boolean confined(String file) {
    if (file.isEmpty() || file.startsWith("/") || file.indexOf('\\') >= 0 || file.indexOf('\0') >= 0) {
      return false;
    }
    for (String segment : file.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) return false;
    }
    return true;
  }
}
