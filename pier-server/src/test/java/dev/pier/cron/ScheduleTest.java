package dev.pier.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static List<String> runs(Schedule s, String after, int n) {
    List<String> out = new ArrayList<>();
    Instant at = Instant.parse(after);
    for (int i = 0; i < n; i++) {
      at = s.next(at);
      out.add(at.toString());
    }
    return out;
  }

  @Test
  void aUnixExpressionGivesItsNextRunsStrictlyAfterNow() throws Exception {
    Schedule every10 = UnixSchedule.parse("*/10 * * * *", UTC);
    assertEquals(List.of("2026-12-07T10:10:00Z", "2026-12-07T10:20:00Z"), runs(every10, "2026-12-07T10:00:00Z", 2));
    Schedule weekdays = UnixSchedule.parse("30 2 * * 1-5", UTC);
    // Saturday 12th -> Monday 14th
    assertEquals("2026-12-14T02:30:00Z", weekdays.next(Instant.parse("2026-12-11T03:00:00Z")).toString());
  }

  @Test
  void aUnixExpressionRunsInItsTimeZone() throws Exception {
    Schedule paris = UnixSchedule.parse("0 9 * * *", ZoneId.of("Europe/Paris"));
    assertEquals("2026-12-08T08:00:00Z", paris.next(Instant.parse("2026-12-07T09:00:00Z")).toString());
    assertEquals("2026-07-08T07:00:00Z", paris.next(Instant.parse("2026-07-07T09:00:00Z")).toString());
  }

  @Test
  void aBadUnixExpressionSaysWhyInCronUtilsWords() {
    ScheduleException e = assertThrows(ScheduleException.class, () -> UnixSchedule.parse("61 * * * *", UTC));
    assertTrue(e.getMessage().startsWith("invalid cron expression '61 * * * *': "), e.getMessage());
    assertTrue(e.getMessage().length() > "invalid cron expression '61 * * * *': ".length() + 5, e.getMessage());
    assertThrows(ScheduleException.class, () -> UnixSchedule.parse("* * * *", UTC));
    assertThrows(ScheduleException.class, () -> UnixSchedule.parse("0 0 0 * * *", UTC)); // six fields: Quartz, not UNIX
  }

  @Test
  void everyNMinutesIsAlignedToMidnight() throws Exception {
    Schedule s = AppEngineSchedule.parse("every 5 minutes", UTC);
    assertEquals(List.of("2026-12-07T10:05:00Z", "2026-12-07T10:10:00Z"), runs(s, "2026-12-07T10:03:12Z", 2));
    Schedule seven = AppEngineSchedule.parse("every 7 mins", UTC);
    // 23:55 is the last of the day (7 * 205 = 1435); the next day starts again at 00:00
    assertEquals(List.of("2026-12-07T23:55:00Z", "2026-12-08T00:00:00Z"), runs(seven, "2026-12-07T23:50:00Z", 2));
  }

  @Test
  void everyNHoursFromToRunsOnlyWithinTheRange() throws Exception {
    Schedule s = AppEngineSchedule.parse("every 2 hours from 09:00 to 17:00", UTC);
    assertEquals(List.of("2026-12-07T15:00:00Z", "2026-12-07T17:00:00Z", "2026-12-08T09:00:00Z"),
        runs(s, "2026-12-07T14:00:00Z", 3));
    assertEquals("every 2 hours from 09:00 to 17:00", s.text());
    AppEngineSchedule.parse("every 30 minutes from 10:00 to 14:00 synchronized", UTC);
  }

  @Test
  void daySchedulesRunOnTheirDaysAtTheirTime() throws Exception {
    assertEquals("2026-12-08T00:00:00Z",
        AppEngineSchedule.parse("every day 00:00", UTC).next(Instant.parse("2026-12-07T00:00:00Z")).toString());
    // 2026-12-07 is a Monday
    assertEquals(List.of("2026-12-07T09:00:00Z", "2026-12-14T09:00:00Z"),
        runs(AppEngineSchedule.parse("every monday 09:00", UTC), "2026-12-06T12:00:00Z", 2));
    assertEquals(List.of("2026-12-09T18:30:00Z", "2026-12-11T18:30:00Z", "2026-12-14T18:30:00Z"),
        runs(AppEngineSchedule.parse("every mon,wed,fri 18:30", UTC), "2026-12-07T19:00:00Z", 3));
  }

  @Test
  void ordinalWeekdaysOfMonthsPickTheNthOccurrence() throws Exception {
    // December 2026: Mondays 7, 14, 21, 28; January 2027: 4, 11, 18, 25
    assertEquals(List.of("2026-12-21T09:00:00Z", "2027-01-04T09:00:00Z", "2027-01-18T09:00:00Z"),
        runs(AppEngineSchedule.parse("1st,3rd monday of month 09:00", UTC), "2026-12-08T00:00:00Z", 3));
    assertEquals("2027-03-09T17:00:00Z", // second Tuesday of March 2027
        AppEngineSchedule.parse("second tue of march 17:00", UTC).next(Instant.parse("2026-12-07T00:00:00Z")).toString());
    assertEquals(List.of("2026-12-15T00:00:00Z", "2027-01-01T00:00:00Z"),
        runs(AppEngineSchedule.parse("1,15 of month 00:00", UTC), "2026-12-07T00:00:00Z", 2));
    assertEquals("2027-04-01T00:00:00Z",
        AppEngineSchedule.parse("1 of jan,april,july,oct 00:00", UTC).next(Instant.parse("2027-01-01T00:00:00Z")).toString());
  }

  @Test
  void englishSchedulesRunInTheirTimeZoneAcrossDaylightSaving() throws Exception {
    Schedule s = AppEngineSchedule.parse("every day 09:00", ZoneId.of("Europe/Paris"));
    // 2027-03-28: Paris moves from UTC+1 to UTC+2
    assertEquals(List.of("2027-03-27T08:00:00Z", "2027-03-28T07:00:00Z"), runs(s, "2027-03-27T00:00:00Z", 2));
  }

  @Test
  void malformedEnglishSchedulesNameTheWrongPart() {
    assertEquals("unknown day 'mondy' (use monday..sunday, mon..sun, or day)",
        assertThrows(ScheduleException.class, () -> AppEngineSchedule.parse("every mondy 09:00", UTC)).getMessage());
    assertTrue(assertThrows(ScheduleException.class, () -> AppEngineSchedule.parse("every 5 fortnights", UTC))
        .getMessage().contains("unknown interval unit 'fortnights'"));
    assertTrue(assertThrows(ScheduleException.class, () -> AppEngineSchedule.parse("every monday 25:00", UTC))
        .getMessage().contains("24-hour time"));
    assertTrue(assertThrows(ScheduleException.class, () -> AppEngineSchedule.parse("every 2 hours from 17:00 to 09:00", UTC))
        .getMessage().contains("must be before"));
    assertTrue(assertThrows(ScheduleException.class, () -> AppEngineSchedule.parse("6th monday of month 09:00", UTC))
        .getMessage().contains("ordinal"));
    assertTrue(assertThrows(ScheduleException.class, () -> AppEngineSchedule.parse("every 0 minutes", UTC))
        .getMessage().contains("between 1 minute and 24 hours"));
  }

  @Test
  void aScheduleThatNeverFiresHasNoNextRun() throws Exception {
    // The 5th Monday of February happens only in leap years starting on a Monday: none within 8 years of 2026.
    assertNull(AppEngineSchedule.parse("5th monday of feb 09:00", UTC).next(Instant.parse("2026-12-07T00:00:00Z")));
  }
}
