package dev.pier.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Where a log drain sends an app's lines: {@code syslog+tcp://HOST:PORT}, or an {@code http://}
 * or {@code https://} URL that receives POSTed batches.
 *
 * @param url the URL as the user typed it, sent to the API unchanged
 */
record DrainUrl(String url) {
  private static final Set<String> SCHEMES = Set.of("syslog+tcp", "http", "https");

  DrainUrl {
    if (problem(url) != null) {
      throw new IllegalArgumentException("invalid drain URL: " + url);
    }
  }

  /**
   * Checks a drain URL before anything is sent.
   *
   * @throws CliException naming what is wrong: the scheme, a missing host or a missing syslog port
   */
  static DrainUrl parse(String url) {
    String problem = problem(url);
    if (problem != null) {
      throw new CliException("Invalid drain URL '" + url + "': " + problem);
    }
    return new DrainUrl(url);
  }

  /** Returns what is wrong with {@code url}, or null when it is a usable drain URL. */
  private static String problem(String url) {
    if (url == null || url.isBlank()) {
      return "it is empty";
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "it is not a valid URL (" + e.getReason() + ")";
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !SCHEMES.contains(scheme)) {
      return "use syslog+tcp://HOST:PORT, http://HOST/PATH or https://HOST/PATH";
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return "it has no host name";
    }
    if (scheme.equals("syslog+tcp") && uri.getPort() < 1) {
      return "a syslog+tcp drain needs a port, such as syslog+tcp://" + uri.getHost() + ":514";
    }
    return null;
  }

  @Override
  public String toString() {
    return url;
  }
}
