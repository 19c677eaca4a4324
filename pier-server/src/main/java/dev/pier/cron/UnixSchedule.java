package dev.pier.cron;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A UNIX five-field cron expression ({@code minute hour day-of-month month day-of-week}, e.g.
 * {@code *}{@code /10 * * * *}), parsed and evaluated by cron-utils.
 */
public record UnixSchedule(String text, ZoneId zone, ExecutionTime execution) implements Schedule {
  public static final String SYNTAX = "unix";

  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** Parses a five-field expression; the exception carries cron-utils' reason. */
  public static UnixSchedule parse(String text, ZoneId zone) throws ScheduleException {
    if (text == null || text.isBlank()) throw new ScheduleException("empty cron expression");
    String trimmed = text.strip().replaceAll("\\s+", " ");
    try {
      return new UnixSchedule(trimmed, zone, ExecutionTime.forCron(PARSER.parse(trimmed)));
    } catch (IllegalArgumentException e) {
      throw new ScheduleException("invalid cron expression '" + trimmed + "': " + e.getMessage());
    }
  }

  @Override
  public Instant next(Instant after) {
    return execution.nextExecution(ZonedDateTime.ofInstant(after, zone))
        .map(ZonedDateTime::toInstant).orElse(null);
  }

  @Override
  public String syntax() {
    return SYNTAX;
  }
}
