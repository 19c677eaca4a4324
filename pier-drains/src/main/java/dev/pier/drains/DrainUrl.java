package dev.pier.drains;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a drain sends lines, parsed from what a user typed after {@code pier drains:add}.
 *
 * <p>Accepted forms:
 *
 * <ul>
 *   <li>{@code syslog+tcp://host:port}: the port is required, and there is no path, query or
 *       credentials;
 *   <li>{@code http://[user[:password]@]host[:port][/path][?query]} and the same with
 *       {@code https}: the port defaults to 80 or 443, the path to {@code /}; user info becomes an
 *       HTTP basic {@code Authorization} header.
 * </ul>
 *
 * <p>{@link #uri()} keeps the credentials (it is what gets stored); {@link #toString()} and
 * {@link #redacted()} hide them and are what may be shown or logged.
 *
 * @param scheme {@code syslog+tcp}, {@code http} or {@code https}, lowercase
 * @param host the host name or address literal (IPv6 in brackets)
 * @param port the TCP port, 1 to 65535
 * @param path for HTTP the raw path plus any {@code ?query}; empty for syslog
 * @param uri the full URL as parsed, credentials included
 */
public record DrainUrl(String scheme, String host, int port, String path, URI uri) {
  private static final Set<String> SCHEMES = Set.of("syslog+tcp", "http", "https");

  public DrainUrl {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(uri, "uri");
    if (!SCHEMES.contains(scheme)) throw new IllegalArgumentException("unsupported scheme " + scheme);
    if (host.isBlank()) throw new IllegalArgumentException("host is empty");
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    if (scheme.equals("syslog+tcp") == path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with / for http(s) and be empty for syslog");
    }
  }

  /**
   * Parses and validates a drain URL.
   *
   * @throws IllegalArgumentException with a message that names the problem and shows a valid form
   */
  public static DrainUrl parse(String text) {
    if (text == null || text.isBlank()) throw invalid("drain URL is empty");
    String trimmed = text.strip();
    if (!trimmed.contains("://")) {
      throw invalid("drain URL '%s' has no scheme: use syslog+tcp://host:port or"
          + " https://host/path", shown(trimmed));
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      // The text is not echoed: it may hold a password.
      throw invalid("drain URL is not a valid URL: %s at index %d", e.getReason(), e.getIndex());
    }
    String shownUrl = shown(redactedString(uri));
    if (uri.getScheme() == null) {
      throw invalid("drain URL '%s' has no scheme: use syslog+tcp://host:port or"
          + " https://host/path", shownUrl);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    checkScheme(scheme);
    if (uri.isOpaque() || uri.getRawAuthority() == null) {
      throw invalid("drain URL '%s' has no host: use %s://host%s", shownUrl, scheme,
          scheme.equals("syslog+tcp") ? ":port" : "/path");
    }
    if (uri.getHost() == null) {
      throw invalid("drain URL '%s' has an invalid host or port in '%s'", shownUrl,
          redactAuthority(uri));
    }
    if (uri.getRawFragment() != null) {
      throw invalid("drain URL '%s' cannot have a #fragment", shownUrl);
    }
    return scheme.equals("syslog+tcp") ? syslog(uri, shownUrl) : http(uri, scheme, shownUrl);
  }

  private static void checkScheme(String scheme) {
    switch (scheme) {
      case "syslog+tcp", "http", "https" -> {}
      case "syslog+tls" -> throw invalid(
          "syslog+tls drains are not supported yet: use syslog+tcp://host:port or https://host/path");
      case "syslog", "syslog+udp", "udp" -> throw invalid(
          "UDP syslog drains are not supported: use syslog+tcp://host:port");
      default -> throw invalid(
          "unsupported drain scheme '%s': use syslog+tcp, http or https", shown(scheme));
    }
  }

  private static DrainUrl syslog(URI uri, String display) {
    if (uri.getRawUserInfo() != null) {
      throw invalid("syslog+tcp drain URL '%s' cannot carry credentials (user info is only for"
          + " http and https)", display);
    }
    if (uri.getPort() == -1) {
      throw invalid("syslog+tcp drain URL '%s' needs a port, e.g. syslog+tcp://%s:514",
          display, uri.getHost());
    }
    checkPort(uri, display);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!path.isEmpty() && !path.equals("/")) {
      throw invalid("syslog+tcp drain URL '%s' cannot have a path ('%s')", display, shown(path));
    }
    if (uri.getRawQuery() != null) {
      throw invalid("syslog+tcp drain URL '%s' cannot have a ?query", display);
    }
    return new DrainUrl("syslog+tcp", uri.getHost(), uri.getPort(), "", withScheme(uri, "syslog+tcp"));
  }

  private static DrainUrl http(URI uri, String scheme, String display) {
    int port = uri.getPort();
    if (port == -1) port = scheme.equals("https") ? 443 : 80;
    else checkPort(uri, display);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
    return new DrainUrl(scheme, uri.getHost(), port, path, withScheme(uri, scheme));
  }

  private static void checkPort(URI uri, String display) {
    if (uri.getPort() < 1 || uri.getPort() > 65535) {
      throw invalid("drain URL '%s' has port %d: use a port from 1 to 65535", display,
          uri.getPort());
    }
  }

  /** Rewrites the scheme in lowercase so that stored URLs compare equal. */
  private static URI withScheme(URI uri, String scheme) {
    if (uri.getScheme().equals(scheme)) return uri;
    return URI.create(scheme + uri.toString().substring(uri.getScheme().length()));
  }

  /** True for http and https drains. */
  public boolean isHttp() {
    return !scheme.equals("syslog+tcp");
  }

  /** The URL with any password (or a lone token in the user info) replaced by {@code ***}. */
  public String redacted() {
    return redactedString(uri);
  }

  /** The HTTP basic {@code Authorization} header value built from the user info, if any. */
  Optional<String> basicAuthorization() {
    String userInfo = uri.getUserInfo();
    if (userInfo == null) return Optional.empty();
    String encoded = Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    return Optional.of("Basic " + encoded);
  }

  /** The URL without credentials: safe to show. */
  @Override
  public String toString() {
    return redacted();
  }

  private static String redactedString(URI uri) {
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null) return uri.toString();
    return uri.toString().replaceFirst(
        java.util.regex.Pattern.quote("//" + userInfo + "@"),
        java.util.regex.Matcher.quoteReplacement("//" + redactUserInfo(userInfo) + "@"));
  }

  private static String redactAuthority(URI uri) {
    String authority = uri.getRawAuthority();
    int at = authority.lastIndexOf('@');
    return at < 0 ? authority : redactUserInfo(authority.substring(0, at)) + authority.substring(at);
  }

  private static String redactUserInfo(String userInfo) {
    int colon = userInfo.indexOf(':');
    return colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
  }

  private static String shown(String s) {
    String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static IllegalArgumentException invalid(String format, Object... args) {
    return new IllegalArgumentException(args.length == 0 ? format : String.format(format, args));
  }
}
