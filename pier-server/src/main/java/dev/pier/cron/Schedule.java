package dev.pier.cron;

import java.time.Instant;
import java.time.ZoneId;

/** When a job runs: a rule in one time zone that gives the next run after any instant. */
public sealed interface Schedule permits UnixSchedule, AppEngineSchedule {
  /** The schedule as the user wrote it. */
  String text();

  /** The zone the rule's wall-clock times are in. */
  ZoneId zone();

  /**
   * Returns the first run strictly after {@code after}, or null when the rule never fires again
   * (for example a day that exists in no year within the next eight).
   */
  Instant next(Instant after);

  /** The syntax name stored with a job: {@code unix} or {@code appengine}. */
  String syntax();

  /** Parses {@code text} in {@code syntax} ({@code unix} or {@code appengine}). */
  static Schedule parse(String syntax, String text, ZoneId zone) throws ScheduleException {
    return switch (syntax) {
      case UnixSchedule.SYNTAX -> UnixSchedule.parse(text, zone);
      case AppEngineSchedule.SYNTAX -> AppEngineSchedule.parse(text, zone);
      default -> throw new ScheduleException("unknown schedule syntax '" + syntax + "'");
    };
  }

  /** Parses a time zone name such as {@code Europe/Paris} or {@code UTC}. */
  static ZoneId zone(String name) throws ScheduleException {
    if (name == null || name.isBlank()) return ZoneId.of("UTC");
    try {
      return ZoneId.of(name.strip());
    } catch (java.time.DateTimeException e) {
      throw new ScheduleException("unknown time zone '" + name.strip() + "' (use a name such as UTC or Europe/Paris)");
    }
  }
}
