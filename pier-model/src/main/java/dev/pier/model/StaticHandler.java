package dev.pier.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One App Engine {@code app.yaml} handler of a release served by instances: a URL pattern and
 * what answers it, the router from files ({@link Kind#DIR}, {@link Kind#FILES}) or the app's
 * instances ({@link Kind#APP}, {@code script: auto}).
 *
 * @param kind what answers a matching request
 * @param url for {@link Kind#DIR} a regular-expression prefix ({@code /static} matches {@code
 *     /static/css/a.css}); otherwise a regular expression the whole path must match
 * @param target for {@link Kind#DIR} the directory, relative to the app ({@code public}); for
 *     {@link Kind#FILES} the file path with {@code \1}..{@code \9} standing for the url's groups
 *     ({@code public/\1}); null for {@link Kind#APP}
 * @param upload for {@link Kind#FILES}, the regular expression naming the app's files the router
 *     may serve ({@code public/.*}); null otherwise
 * @param maxAgeSeconds how long clients may cache a file ({@code expiration}), or null for the
 *     default
 * @param headers {@code http_headers} added to every file served
 * @param mimeType {@code mime_type}: the Content-Type of every file served, or null to go by the
 *     file name
 */
public record StaticHandler(
    Kind kind,
    Pattern url,
    String target,
    Pattern upload,
    Long maxAgeSeconds,
    Map<String, String> headers,
    String mimeType) {
  /** What answers the requests a handler matches. */
  public enum Kind {
    /** {@code static_dir}: files of one directory, under a URL prefix. */
    DIR,
    /** {@code static_files} with {@code upload}: a file named from the URL's groups. */
    FILES,
    /** {@code script: auto}: the app's instances. */
    APP
  }

  public StaticHandler {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(url, "url");
    if (kind != Kind.APP) Objects.requireNonNull(target, "target");
    if (kind == Kind.FILES) Objects.requireNonNull(upload, "upload");
    if (maxAgeSeconds != null && maxAgeSeconds < 0) throw new IllegalArgumentException("negative max age");
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** A {@code script: auto} handler: paths matching {@code url} go to the instances. */
  public static StaticHandler app(Pattern url) {
    return new StaticHandler(Kind.APP, url, null, null, null, Map.of(), null);
  }

  /** The pattern a {@link Kind#DIR} handler's url becomes: the prefix, a slash, the rest. */
  public static Pattern dirPattern(String url) {
    String prefix = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return Pattern.compile("(?:" + prefix + ")/(.*)");
  }

  /** The url as app.yaml wrote it (without a trailing slash for a {@link Kind#DIR}), e.g. {@code /static}. */
  public String urlText() {
    String p = url.pattern();
    if (kind == Kind.DIR && p.startsWith("(?:") && p.endsWith(DIR_SUFFIX)) {
      return p.substring(3, p.length() - DIR_SUFFIX.length());
    }
    return p;
  }

  private static final String DIR_SUFFIX = ")/(.*)";

  /**
   * The app-relative file this handler names for {@code path} (a decoded URL path), {@code ""}
   * for an {@link Kind#APP} handler, or null when the handler does not match. The file is not
   * checked here: see {@link StaticHandlers#match}.
   *
   * @throws BoundedRegex.OverBudget when the url pattern took too long to match
   */
  public String fileFor(String path) {
    Matcher m = BoundedRegex.matches(url, path);
    if (m == null) return null;
    return switch (kind) {
      case APP -> "";
      case DIR -> m.group(m.groupCount()).isEmpty() ? target : target + "/" + m.group(m.groupCount());
      case FILES -> substitute(target, m);
    };
  }

  /**
   * True when {@code file} (app-relative) matches this handler's {@code upload}; false for other
   * kinds, and when matching took too long ({@link BoundedRegex}).
   */
  public boolean uploads(String file) {
    if (upload == null) return false;
    try {
      return BoundedRegex.matches(upload, file) != null;
    } catch (BoundedRegex.OverBudget e) {
      OverBudgetLog.once(this, "upload");
      return false;
    }
  }

  /** {@code template} with {@code \N} replaced by group N of {@code m} (a missing group: empty). */
  static String substitute(String template, Matcher m) {
    StringBuilder out = new StringBuilder(template.length() + 32);
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '\\' && i + 1 < template.length() && Character.isDigit(template.charAt(i + 1))) {
        int group = template.charAt(++i) - '0';
        String value = group <= m.groupCount() ? m.group(group) : null;
        if (value != null) out.append(value);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
