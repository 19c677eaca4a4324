package dev.pier.cron;

/** A schedule, time zone or cron.yaml entry that cannot be used; the message says why. */
public final class ScheduleException extends Exception {
  public ScheduleException(String message) {
    super(message);
  }
}
