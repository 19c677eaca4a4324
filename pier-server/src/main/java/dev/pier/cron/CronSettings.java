package dev.pier.cron;

import java.time.Duration;
import java.util.Map;

/**
 * The scheduler's server-wide settings.
 *
 * @param catchUp whether runs missed while Pier was down run once at start; {@code
 *     PIER_CRON_CATCH_UP=0} turns it off for every job (a job can turn it off for itself with
 *     {@code cron:add --no-catch-up})
 * @param tick how often the scheduler looks for due jobs
 * @param clockScale how many times faster than real time the scheduler's clock runs: 1 except in
 *     tests (system property {@code pier.cron.clockScale}), where a minute schedule must fire
 *     within seconds
 */
public record CronSettings(boolean catchUp, Duration tick, long clockScale) {
  public static CronSettings defaults() {
    return new CronSettings(true, Duration.ofSeconds(1), 1);
  }

  /** Reads {@code PIER_CRON_CATCH_UP} and the test-only {@code pier.cron.clockScale} property. */
  public static CronSettings from(Map<String, String> env) {
    String catchUp = env.getOrDefault("PIER_CRON_CATCH_UP", "1").strip();
    boolean on = !(catchUp.equals("0") || catchUp.equalsIgnoreCase("false") || catchUp.equalsIgnoreCase("off"));
    long scale = Long.getLong("pier.cron.clockScale", 1L);
    Duration tick = scale > 1 ? Duration.ofMillis(100) : Duration.ofSeconds(1);
    return new CronSettings(on, tick, Math.max(1, scale));
  }
}
