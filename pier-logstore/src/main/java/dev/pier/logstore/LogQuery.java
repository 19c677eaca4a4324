package dev.pier.logstore;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A search over one app's stored log lines.
 *
 * <p>{@code text} is a list of words and {@code "quoted phrases"}; a line matches when it holds
 * every one of them (AND), compared case-insensitively word by word, so {@code TypeError} matches
 * {@code Uncaught TypeError: foo}. Empty or blank text, or text without any word (only
 * punctuation), matches every line. Other filters are
 * optional: {@code since} (inclusive, nullable), {@code kind} ({@code app}, {@code router} or
 * {@code platform}, see {@link dev.pier.model.LogLine#kind()}) and {@code instance} (the process
 * column: {@code web.1}, or a process type such as {@code web} for all its instances). Blank kind
 * or instance means "any".
 *
 * @param limit how many lines at most; values above {@link #MAX_LIMIT} are lowered to it
 */
public record LogQuery(String app, String text, Instant since, String kind, String instance, int limit) {
  /** The most lines one search returns. */
  public static final int MAX_LIMIT = 1000;

  private static final Set<String> KINDS = Set.of("app", "router", "platform");

  public LogQuery {
    Objects.requireNonNull(app, "app");
    if (app.isBlank()) throw new IllegalArgumentException("app must not be blank");
    text = text == null ? "" : text;
    kind = kind == null || kind.isBlank() ? null : kind;
    instance = instance == null || instance.isBlank() ? null : instance;
    if (kind != null && !KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind must be app, router or platform, not " + kind);
    }
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, not " + limit);
    limit = Math.min(limit, MAX_LIMIT);
  }

  /** A text search over all of an app's lines, with no other filter. */
  public static LogQuery of(String app, String text, int limit) {
    return new LogQuery(app, text, null, null, null, limit);
  }
}
