package dev.pier.build;

import static dev.pier.build.AppYaml.at;
import static dev.pier.build.AppYaml.isNull;

import dev.pier.model.ReservedHeaders;
import dev.pier.model.StaticHandler;
import dev.pier.model.StaticHandlers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads app.yaml {@code handlers} (App Engine's format) into {@link StaticHandler}s: {@code url}
 * with one of {@code static_dir}, {@code static_files} (with {@code upload}) or {@code script};
 * {@code expiration} (or the file's {@code default_expiration}), {@code http_headers} and {@code
 * mime_type}. Keys Pier does not apply ({@code login}, {@code secure}, {@code auth_fail_action},
 * {@code redirect_http_response_code}, ...) are named in warnings. An invalid regular expression,
 * a missing {@code url} or {@code upload}, or a path leaving the app is a {@link BuildFailure}
 * naming the line.
 */
final class HandlerKeys {
  /** Handler keys App Engine has and Pier does not apply, each warned about by name. */
  static final Set<String> UNSUPPORTED = Set.of("login", "secure", "auth_fail_action",
      "redirect_http_response_code", "application_readable", "require_matching_file");
  private static final Pattern EXPIRATION = Pattern.compile("\\s*([0-9]+)\\s*([dhms])\\s*");
  /** The cache time App Engine gives static files without an expiration: 10 minutes. */
  static final long DEFAULT_MAX_AGE = 600;

  private HandlerKeys() {}

  /** The handlers of {@code value} (the {@code handlers} list), warnings added to {@code warnings}. */
  static List<StaticHandler> parse(Node value, Long defaultMaxAge, List<String> warnings)
      throws BuildFailure {
    List<StaticHandler> out = new ArrayList<>();
    if (isNull(value)) return out;
    if (!(value instanceof SequenceNode list)) {
      throw at(value.getStartMark(), "handlers must be a list of '- url: ...' entries");
    }
    int n = 0;
    for (Node item : list.getValue()) {
      n++;
      out.add(handler(AppYaml.mapping(item, "handlers entry " + n), n, defaultMaxAge, warnings));
    }
    return out;
  }

  private static StaticHandler handler(MappingNode node, int n, Long defaultMaxAge, List<String> warnings)
      throws BuildFailure {
    String what = "handlers entry " + n;
    String url = null;
    String dir = null;
    String files = null;
    String upload = null;
    boolean script = false;
    Long maxAge = defaultMaxAge;
    Map<String, String> headers = new LinkedHashMap<>();
    String mime = null;
    Node uploadNode = null;
    Node urlNode = null;
    Node targetNode = null;
    for (NodeTuple entry : AppYaml.entries(node, what)) {
      String key = ((ScalarNode) entry.getKeyNode()).getValue();
      Node v = entry.getValueNode();
      switch (key) {
        case "url" -> {
          url = string(v, what + " url");
          urlNode = v;
        }
        case "static_dir" -> {
          dir = string(v, what + " static_dir");
          targetNode = v;
        }
        case "static_files" -> {
          files = string(v, what + " static_files");
          targetNode = v;
        }
        case "upload" -> {
          upload = string(v, what + " upload");
          uploadNode = v;
        }
        case "script" -> script = true;
        case "expiration" -> maxAge = expiration(v, what + " expiration");
        case "http_headers" -> headers = headers(v, what);
        case "mime_type" -> mime = string(v, what + " mime_type");
        default -> warnings.add(UNSUPPORTED.contains(key)
            ? "app.yaml handlers entry " + n + ": '" + key + "' is not supported by Pier and is ignored"
            : "app.yaml handlers entry " + n + ": unknown key '" + key + "' is ignored");
      }
    }
    if (url == null) throw at(node.getStartMark(), what + " has no 'url'");
    if (!url.startsWith("/")) throw at(urlNode.getStartMark(), what + " url must start with '/', got '" + url + "'");
    int kinds = (dir != null ? 1 : 0) + (files != null ? 1 : 0) + (script ? 1 : 0);
    if (kinds != 1) {
      throw at(node.getStartMark(), what + " needs exactly one of static_dir, static_files or script");
    }
    if (script) return StaticHandler.app(regex(url, urlNode, what + " url"));
    if (dir != null) {
      String d = appPath(stripSlashes(dir), targetNode, what + " static_dir");
      return new StaticHandler(StaticHandler.Kind.DIR, dirRegex(url, urlNode, what), d, null, maxAge,
          headers, mime);
    }
    if (upload == null) {
      throw at(node.getStartMark(), what + " static_files needs 'upload' (a regular expression of the files, e.g. 'public/.*')");
    }
    appPath(files, targetNode, what + " static_files");
    Pattern uploadPattern = regex(upload, uploadNode, what + " upload");
    return new StaticHandler(StaticHandler.Kind.FILES, regex(url, urlNode, what + " url"), files,
        uploadPattern, maxAge, headers, mime);
  }

  private static Pattern regex(String text, Node node, String what) throws BuildFailure {
    Pattern pattern;
    try {
      pattern = Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw at(node.getStartMark(), what + " is not a valid regular expression: " + e.getDescription());
    }
    String problem = RegexSafety.problem(text);
    if (problem != null) {
      throw at(node.getStartMark(), what + " '" + text + "' is refused: " + problem
          + ", which can make matching take very long; write it without");
    }
    return pattern;
  }

  private static Pattern dirRegex(String url, Node node, String what) throws BuildFailure {
    regex(url, node, what + " url");
    return StaticHandler.dirPattern(url);
  }

  /** {@code path} if it stays inside the app (relative, no {@code ..}); else a failure. */
  private static String appPath(String path, Node node, String what) throws BuildFailure {
    String plain = path.replaceAll("\\\\[0-9]", "x");
    if (plain.isEmpty() || !StaticHandlers.confined(plain)) {
      throw at(node.getStartMark(), what + " must be a path inside the app (relative, without '..'), got '" + path + "'");
    }
    return path;
  }

  private static String stripSlashes(String dir) {
    String d = dir;
    while (d.endsWith("/")) d = d.substring(0, d.length() - 1);
    return d.startsWith("./") ? d.substring(2) : d;
  }

  private static Map<String, String> headers(Node value, String what) throws BuildFailure {
    Map<String, String> out = new LinkedHashMap<>();
    if (isNull(value)) return out;
    for (NodeTuple entry : AppYaml.entries(AppYaml.mapping(value, what + " http_headers"), what + " http_headers")) {
      String name = ((ScalarNode) entry.getKeyNode()).getValue();
      if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        throw at(entry.getKeyNode().getStartMark(), what + " http_headers: invalid header name '" + name + "'");
      }
      if (ReservedHeaders.reserved(name)) {
        throw at(entry.getKeyNode().getStartMark(), what + " http_headers: '" + name
            + "' is set by the router and cannot be set by a handler (nor any of "
            + String.join(", ", ReservedHeaders.NAMES) + ", Proxy-*)");
      }
      String v = string(entry.getValueNode(), what + " http_headers." + name);
      if (v.chars().anyMatch(c -> c < ' ' && c != '\t')) {
        throw at(entry.getValueNode().getStartMark(), what + " http_headers." + name + " has a control character");
      }
      out.put(name, v);
    }
    return out;
  }

  /**
   * An App Engine expiration such as {@code 4d 5h}, {@code 1h 30m} or {@code 0} in seconds.
   *
   * @throws BuildFailure naming the line when it is not one
   */
  static long expiration(Node node, String what) throws BuildFailure {
    String text = string(node, what).strip();
    if (text.equals("0")) return 0;
    long seconds = 0;
    var m = EXPIRATION.matcher(text);
    int at = 0;
    while (at < text.length() && m.find(at) && m.start() == at) {
      long n = Long.parseLong(m.group(1).length() > 9 ? "999999999" : m.group(1));
      seconds += n * switch (m.group(2)) {
        case "d" -> 86_400;
        case "h" -> 3_600;
        case "m" -> 60;
        default -> 1;
      };
      at = m.end();
    }
    if (at != text.length() || text.isEmpty()) {
      throw at(node.getStartMark(), what + " must be like '4d 5h', '30m' or '0', got '" + text + "'");
    }
    return seconds;
  }

  private static String string(Node node, String what) throws BuildFailure {
    if (node instanceof ScalarNode s && !isNull(node)) return s.getValue();
    throw at(node.getStartMark(), what + " must be a string");
  }
}
