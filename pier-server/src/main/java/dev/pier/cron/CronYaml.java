package dev.pier.cron;

import java.io.StringReader;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * An App Engine {@code cron.yaml}: a {@code cron:} list of URL jobs, each with {@code url},
 * {@code schedule} (the English form, see {@link AppEngineSchedule}), and optionally {@code
 * description}, {@code timezone}, {@code target} (a version, {@code vN} or {@code N}) and {@code
 * retry_parameters} ({@code job_retry_limit}, {@code job_age_limit}, {@code min_backoff_seconds},
 * {@code max_backoff_seconds}, {@code max_doublings}).
 *
 * <p>Parsing composes the YAML node tree only (no object construction), keeping the line of
 * every node for error messages such as {@code cron.yaml line 4: unknown day 'mondy'}.
 */
public final class CronYaml {
  /** The file name looked for in the app root. */
  public static final String FILE_NAME = "cron.yaml";

  /** One job of the file. */
  public record Entry(String description, String url, AppEngineSchedule schedule, Integer target,
      RetryParameters retry, int line) {}

  /** How many jobs a file may list (App Engine's limit). */
  public static final int MAX_JOBS = 250;

  private static final Set<String> ENTRY_KEYS = Set.of("description", "url", "schedule", "timezone", "target", "retry_parameters");
  private static final Set<String> RETRY_KEYS = Set.of("job_retry_limit", "job_age_limit", "min_backoff_seconds",
      "max_backoff_seconds", "max_doublings");
  private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");
  private static final Pattern TARGET = Pattern.compile("v?(\\d{1,9})");

  private CronYaml() {}

  /**
   * Parses the file's text.
   *
   * @throws ScheduleException naming the file and line, e.g. {@code cron.yaml line 3: ...}
   */
  public static List<Entry> parse(String text) throws ScheduleException {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
      throw fail(line, e.getProblem());
    } catch (YAMLException e) {
      throw fail(1, e.getMessage());
    }
    if (root == null) return List.of();
    if (!(root instanceof MappingNode map)) throw fail(root, "expected a mapping with a 'cron:' list");
    List<Entry> entries = new ArrayList<>();
    for (NodeTuple t : map.getValue()) {
      String key = scalar(t.getKeyNode(), "key");
      if (!key.equals("cron")) throw fail(t.getKeyNode(), "unknown key '" + key + "' (cron.yaml has a 'cron:' list)");
      Node list = t.getValueNode();
      if (list instanceof ScalarNode s && s.getValue().isEmpty()) continue;
      if (!(list instanceof SequenceNode seq)) throw fail(list, "'cron' must be a list of jobs");
      if (seq.getValue().size() > MAX_JOBS) throw fail(list, "at most " + MAX_JOBS + " jobs, got " + seq.getValue().size());
      for (Node item : seq.getValue()) entries.add(entry(item));
    }
    return entries;
  }

  private static Entry entry(Node node) throws ScheduleException {
    if (!(node instanceof MappingNode map)) throw fail(node, "each job must be a mapping with url and schedule");
    String description = null;
    String url = null;
    String schedule = null;
    Node scheduleNode = null;
    String timezone = null;
    Node timezoneNode = null;
    Integer target = null;
    RetryParameters retry = RetryParameters.NONE;
    for (NodeTuple t : map.getValue()) {
      String key = scalar(t.getKeyNode(), "key");
      Node value = t.getValueNode();
      switch (key) {
        case "description" -> description = scalar(value, key);
        case "url" -> {
          url = scalar(value, key);
          if (!url.startsWith("/") || url.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw fail(value, "url must be a path starting with '/' and without spaces, got '" + url + "'");
          }
        }
        case "schedule" -> {
          schedule = scalar(value, key);
          scheduleNode = value;
        }
        case "timezone" -> {
          timezone = scalar(value, key);
          timezoneNode = value;
        }
        case "target" -> {
          Matcher m = TARGET.matcher(scalar(value, key));
          if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
            throw fail(value, "target must be a version such as v3 or 3, got '" + scalar(value, key) + "'");
          }
          target = Integer.parseInt(m.group(1));
        }
        case "retry_parameters" -> retry = retry(value);
        default -> throw fail(t.getKeyNode(), "unknown key '" + key + "' (supported: " + String.join(", ", sorted(ENTRY_KEYS)) + ")");
      }
    }
    if (url == null) throw fail(node, "job has no url");
    if (schedule == null) throw fail(node, "job has no schedule");
    ZoneId zone;
    try {
      zone = Schedule.zone(timezone);
    } catch (ScheduleException e) {
      throw fail(timezoneNode, e.getMessage());
    }
    AppEngineSchedule parsed;
    try {
      parsed = AppEngineSchedule.parse(schedule, zone);
    } catch (ScheduleException e) {
      throw fail(scheduleNode, "schedule '" + schedule + "': " + e.getMessage());
    }
    return new Entry(description, url, parsed, target, retry, line(node));
  }

  private static RetryParameters retry(Node node) throws ScheduleException {
    if (!(node instanceof MappingNode map)) throw fail(node, "retry_parameters must be a mapping");
    RetryParameters d = RetryParameters.NONE;
    int limit = d.retryLimit();
    Duration age = d.ageLimit();
    Duration min = d.minBackoff();
    Duration max = d.maxBackoff();
    int doublings = d.maxDoublings();
    for (NodeTuple t : map.getValue()) {
      String key = scalar(t.getKeyNode(), "key");
      Node value = t.getValueNode();
      String text = scalar(value, key);
      try {
        switch (key) {
          case "job_retry_limit" -> limit = Integer.parseInt(text);
          case "max_doublings" -> doublings = Integer.parseInt(text);
          case "min_backoff_seconds" -> min = seconds(text);
          case "max_backoff_seconds" -> max = seconds(text);
          case "job_age_limit" -> {
            Matcher m = AGE.matcher(text);
            if (!m.matches()) throw fail(value, "job_age_limit must be a number and a unit (s, m, h, d) such as 2h, got '" + text + "'");
            long n = Long.parseLong(m.group(1));
            age = switch (m.group(2)) {
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            };
          }
          default -> throw fail(t.getKeyNode(), "unknown retry parameter '" + key + "' (supported: " + String.join(", ", sorted(RETRY_KEYS)) + ")");
        }
      } catch (NumberFormatException | ArithmeticException e) {
        throw fail(value, key + " must be a number, got '" + text + "'");
      }
    }
    try {
      return new RetryParameters(limit, age, min, max, doublings);
    } catch (IllegalArgumentException e) {
      throw fail(node, e.getMessage());
    }
  }

  private static Duration seconds(String text) {
    double s = Double.parseDouble(text);
    if (!(s >= 0) || s > 86400 * 30) throw new NumberFormatException(text);
    return Duration.ofMillis(Math.round(s * 1000));
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }

  private static String scalar(Node node, String what) throws ScheduleException {
    if (!(node instanceof ScalarNode s)) throw fail(node, "'" + what + "' must be a single value");
    return s.getValue().strip();
  }

  private static int line(Node node) {
    return node == null || node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
  }

  private static ScheduleException fail(Node node, String message) {
    return fail(line(node), message);
  }

  private static ScheduleException fail(int line, String message) {
    return new ScheduleException(FILE_NAME + " line " + line + ": " + message);
  }
}
