package dev.pier.cli;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The API a user talks to and their token.
 *
 * @param api the API base URL, {@code http} or {@code https}, without a trailing slash
 * @param token the bearer token, one line without spaces
 */
record Credentials(String api, String token) {
  static final String DEFAULT_API = "http://localhost:7070";
  static final String API_ENV = "PIER_API_URL";
  static final String TOKEN_ENV = "PIER_API_TOKEN";

  Credentials {
    api = normalizeApi(api);
    if (token == null || token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      throw new CliException("Invalid token: it must be one word without spaces");
    }
  }

  /** Shows the API but never the token, so credentials can be logged safely. */
  @Override
  public String toString() {
    return "Credentials[api=" + api + ", token=***]";
  }

  /** The host name of the API, for the {@code .netrc} entry git uses. */
  String host() {
    return URI.create(api).getHost();
  }

  /**
   * Returns the credentials to use: {@code PIER_API_URL} and {@code PIER_API_TOKEN} win over the
   * saved file, each on its own; an unset URL falls back to {@value #DEFAULT_API}.
   *
   * @throws CliException when there is no token anywhere
   */
  static Credentials resolve(Map<String, String> env, CredentialsStore store) {
    Optional<Credentials> saved = store.load();
    String api = nonBlank(env.get(API_ENV));
    String token = nonBlank(env.get(TOKEN_ENV));
    if (api == null) {
      api = saved.map(Credentials::api).orElse(DEFAULT_API);
    }
    if (token == null) {
      token = saved.map(Credentials::token).orElse(null);
    }
    if (token == null) {
      throw new CliException("Not logged in: run `pier login`");
    }
    return new Credentials(api, token);
  }

  /**
   * Returns the URL in canonical form: {@code http://} added when no scheme is given, trailing
   * slashes removed.
   *
   * @throws CliException when it is not an http(s) URL with a host
   */
  static String normalizeApi(String api) {
    if (api == null || api.isBlank()) {
      throw new CliException("No API URL given");
    }
    String url = api.strip();
    if (!url.contains("://")) {
      url = "http://" + url;
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    try {
      URI uri = URI.create(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new CliException("Invalid API URL '" + api + "': use http://HOST:PORT");
    }
    return url;
  }

  private static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
