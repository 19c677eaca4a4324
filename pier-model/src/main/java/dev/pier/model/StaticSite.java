package dev.pier.model;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A static site the router serves from files, without an app instance: where its files are and
 * the rules of its {@code static.json} (Heroku's static buildpack format).
 *
 * @param root the directory whose files are served; relative to the app while building, absolute
 *     (a read-only copy of the release's files) in a route
 * @param cleanUrls {@code /about} serves {@code about.html}, and {@code /about.html} redirects there
 * @param routes rewrites tried in order when no file matches, e.g. {@code /**} to {@code
 *     index.html} for a single-page app
 * @param headers extra response headers for paths matching a pattern, every matching rule applied
 *     in order
 * @param redirects exact request paths answered with a redirect
 * @param httpsOnly requests that did not arrive over HTTPS (the router's TLS port) are
 *     redirected to {@code https://}
 * @param errorPage the page (relative to the root) sent with a 404, or null for a plain one
 */
public record StaticSite(
    Path root,
    boolean cleanUrls,
    List<Rewrite> routes,
    List<HeaderRule> headers,
    Map<String, Redirect> redirects,
    boolean httpsOnly,
    String errorPage) {
  public StaticSite {
    Objects.requireNonNull(root, "root");
    routes = List.copyOf(routes);
    headers = List.copyOf(headers);
    redirects = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(redirects));
  }

  /** A site of {@code root} with no rules: files as they are, a plain 404. */
  public static StaticSite plain(Path root) {
    return new StaticSite(root, false, List.of(), List.of(), Map.of(), false, null);
  }

  /** This site served from another directory. */
  public StaticSite withRoot(Path newRoot) {
    return new StaticSite(newRoot, cleanUrls, routes, headers, redirects, httpsOnly, errorPage);
  }

  /** Requests for paths matching {@code path} that no file answers get {@code target} instead. */
  public record Rewrite(PathGlob path, String target) {
    public Rewrite {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(target, "target");
    }
  }

  /** Headers added to every answer for a path matching {@code path}. */
  public record HeaderRule(PathGlob path, Map<String, String> headers) {
    public HeaderRule {
      Objects.requireNonNull(path, "path");
      headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
  }

  /** A redirect to {@code url} with {@code status} (301, 302, 303, 307 or 308). */
  public record Redirect(String url, int status) {
    public Redirect {
      Objects.requireNonNull(url, "url");
      if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
        throw new IllegalArgumentException("not a redirect status: " + status);
      }
    }
  }
}
