package dev.pier.build.staticsite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.build.BuildFailure;
import dev.pier.model.PathGlob;
import dev.pier.model.ReservedHeaders;
import dev.pier.model.StaticSite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes {@code static.json}, the configuration of Heroku's static buildpack. Honoured
 * keys: {@code root}, {@code clean_urls}, {@code routes}, {@code headers}, {@code redirects},
 * {@code https_only}, {@code error_page}. Unknown keys are reported as warnings; a malformed file
 * or a value of the wrong kind fails the build naming the file (and for JSON syntax, its line and
 * column).
 */
public final class StaticJson {
  public static final String FILE_NAME = "static.json";
  static final Set<String> KEYS =
      Set.of("root", "clean_urls", "routes", "headers", "redirects", "https_only", "error_page");

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private StaticJson() {}

  /**
   * A parsed static.json.
   *
   * @param root the {@code root} key as written, or null when absent
   * @param site the rules, with a placeholder root
   * @param unknownKeys top-level keys Pier does not honour
   */
  public record Parsed(String root, StaticSite site, List<String> unknownKeys) {}

  /**
   * Parses static.json text.
   *
   * @throws BuildFailure e.g. {@code static.json line 3, column 5: Unexpected character ...} or
   *     {@code static.json: "clean_urls" must be true or false}
   */
  public static Parsed parse(String text) throws BuildFailure {
    JsonNode tree;
    try {
      String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
      tree = MAPPER.readTree(t);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? FILE_NAME
          : FILE_NAME + " line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new BuildFailure(where + ": " + firstLine(e.getOriginalMessage()));
    }
    if (tree == null || !tree.isObject()) {
      throw new BuildFailure(FILE_NAME + " must contain a JSON object ({ ... })");
    }
    List<String> unknown = new ArrayList<>();
    tree.fieldNames().forEachRemaining(k -> {
      if (!KEYS.contains(k)) unknown.add(k);
    });
    String root = text(tree, "root");
    if (root != null) checkRelative("root", root);
    String errorPage = text(tree, "error_page");
    if (errorPage != null) checkRelative("error_page", errorPage);
    List<StaticSite.Rewrite> routes = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : object(tree, "routes").entrySet()) {
      if (!e.getValue().isTextual()) fail("routes \"" + e.getKey() + "\" must be a file name (a string)");
      routes.add(new StaticSite.Rewrite(glob("routes", e.getKey()), e.getValue().asText()));
    }
    List<StaticSite.HeaderRule> headers = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : object(tree, "headers").entrySet()) {
      if (!e.getValue().isObject()) fail("headers \"" + e.getKey() + "\" must map header names to values");
      Map<String, String> values = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> h : e.getValue().properties()) {
        if (!h.getValue().isValueNode() || h.getValue().isNull()) {
          fail("headers \"" + e.getKey() + "\": \"" + h.getKey() + "\" must be a string");
        }
        if (!h.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || h.getValue().asText().matches(".*[\\r\\n\\x00].*")) {
          fail("headers \"" + e.getKey() + "\": \"" + h.getKey() + "\" is not a valid header");
        }
        if (ReservedHeaders.reserved(h.getKey())) {
          fail("headers \"" + e.getKey() + "\": \"" + h.getKey() + "\" is set by the router and cannot be"
              + " set by a rule (nor any of " + String.join(", ", ReservedHeaders.NAMES) + ", Proxy-*)");
        }
        values.put(h.getKey(), h.getValue().asText());
      }
      headers.add(new StaticSite.HeaderRule(glob("headers", e.getKey()), values));
    }
    Map<String, StaticSite.Redirect> redirects = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object(tree, "redirects").entrySet()) {
      JsonNode r = e.getValue();
      if (!e.getKey().startsWith("/")) fail("redirects \"" + e.getKey() + "\" must be a path starting with /");
      if (!r.isObject() || !r.path("url").isTextual()) {
        fail("redirects \"" + e.getKey() + "\" must be {\"url\": \"...\", \"status\": 301}");
      }
      int status = r.has("status") ? r.path("status").asInt(-1) : 301;
      try {
        redirects.put(e.getKey(), new StaticSite.Redirect(r.path("url").asText(), status));
      } catch (IllegalArgumentException bad) {
        fail("redirects \"" + e.getKey() + "\": status must be 301, 302, 303, 307 or 308");
      }
    }
    StaticSite site = new StaticSite(Path.of("."), bool(tree, "clean_urls"), routes, headers,
        redirects, bool(tree, "https_only"), errorPage);
    return new Parsed(root, site, unknown);
  }

  /** The normalized static.json of a built site: its rules, {@code root} as given. */
  public static String write(String root, StaticSite site) {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("root", root);
    out.put("clean_urls", site.cleanUrls());
    ObjectNode routes = out.putObject("routes");
    site.routes().forEach(r -> routes.put(r.path().glob(), r.target()));
    ObjectNode headers = out.putObject("headers");
    site.headers().forEach(h -> {
      ObjectNode values = headers.putObject(h.path().glob());
      h.headers().forEach(values::put);
    });
    ObjectNode redirects = out.putObject("redirects");
    site.redirects().forEach((from, r) -> redirects.putObject(from).put("url", r.url()).put("status", r.status()));
    out.put("https_only", site.httpsOnly());
    if (site.errorPage() != null) out.put("error_page", site.errorPage());
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PathGlob glob(String key, String pattern) throws BuildFailure {
    if (!pattern.startsWith("/")) fail(key + " \"" + pattern + "\" must be a path pattern starting with /");
    return PathGlob.of(pattern);
  }

  private static void checkRelative(String key, String value) throws BuildFailure {
    Path p = Path.of(value.isEmpty() ? "." : value).normalize();
    if (p.isAbsolute() || p.startsWith("..") || value.contains("\\")) {
      fail("\"" + key + "\" must be a path inside the app, got \"" + value + "\"");
    }
  }

  private static String text(JsonNode tree, String key) throws BuildFailure {
    JsonNode n = tree.get(key);
    if (n == null || n.isNull()) return null;
    if (!n.isTextual()) fail("\"" + key + "\" must be a string");
    return n.asText();
  }

  private static boolean bool(JsonNode tree, String key) throws BuildFailure {
    JsonNode n = tree.get(key);
    if (n == null || n.isNull()) return false;
    if (!n.isBoolean()) fail("\"" + key + "\" must be true or false");
    return n.asBoolean();
  }

  private static Map<String, JsonNode> object(JsonNode tree, String key) throws BuildFailure {
    JsonNode n = tree.get(key);
    Map<String, JsonNode> entries = new LinkedHashMap<>();
    if (n == null || n.isNull()) return entries;
    if (!n.isObject()) fail("\"" + key + "\" must be an object ({ ... })");
    n.properties().forEach(e -> entries.put(e.getKey(), e.getValue()));
    return entries;
  }

  private static void fail(String message) throws BuildFailure {
    throw new BuildFailure(FILE_NAME + ": " + message);
  }

  private static String firstLine(String s) {
    if (s == null) return "invalid JSON";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
