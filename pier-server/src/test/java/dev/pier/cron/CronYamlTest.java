package dev.pier.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronYamlTest {
  @Test
  void readsAppEngineJobsWithTheirOptions() throws Exception {
    List<CronYaml.Entry> entries = CronYaml.parse("""
        cron:
        - description: "daily summary job"
          url: /tasks/summary
          schedule: every 24 hours
        - description: monday morning mailout
          url: /mail/weekly
          schedule: every monday 09:00
          timezone: Australia/NSW
          target: v2
          retry_parameters:
            job_retry_limit: 3
            min_backoff_seconds: 2.5
            max_doublings: 2
            job_age_limit: 2h
        """);
    assertEquals(2, entries.size());
    CronYaml.Entry first = entries.get(0);
    assertEquals("/tasks/summary", first.url());
    assertEquals("daily summary job", first.description());
    assertNull(first.target());
    assertEquals(RetryParameters.NONE, first.retry());
    assertEquals(2, first.line());
    CronYaml.Entry second = entries.get(1);
    assertEquals("Australia/NSW", second.schedule().zone().getId());
    assertEquals(2, second.target());
    assertEquals(new RetryParameters(3, Duration.ofHours(2), Duration.ofMillis(2500), Duration.ofHours(1), 2), second.retry());
    assertEquals(Duration.ofMillis(2500), second.retry().backoff(1));
    assertEquals(Duration.ofMillis(10000), second.retry().backoff(3));
    assertEquals(Duration.ofMillis(10000), second.retry().backoff(5)); // at most 2 doublings
  }

  @Test
  void anEmptyFileOrListHasNoJobs() throws Exception {
    assertEquals(List.of(), CronYaml.parse(""));
    assertEquals(List.of(), CronYaml.parse("cron:\n"));
  }

  @Test
  void errorsNameTheFileAndLine() {
    assertEquals("cron.yaml line 5: schedule 'every mondy 09:00': unknown day 'mondy' (use monday..sunday, mon..sun, or day)",
        message("cron:\n- url: /a\n  schedule: every day 00:00\n- url: /b\n  schedule: every mondy 09:00\n"));
    assertEquals("cron.yaml line 2: job has no schedule", message("cron:\n- url: /a\n"));
    assertEquals("cron.yaml line 3: url must be a path starting with '/' and without spaces, got 'http://x/'",
        message("cron:\n- schedule: every day 00:00\n  url: http://x/\n"));
    assertEquals("cron.yaml line 4: unknown time zone 'Mars/Olympus' (use a name such as UTC or Europe/Paris)",
        message("cron:\n- url: /a\n  schedule: every day 00:00\n  timezone: Mars/Olympus\n"));
    assertEquals("cron.yaml line 5: job_retry_limit must be 0 to 5, got 9",
        message("cron:\n- url: /a\n  schedule: every day 00:00\n  retry_parameters:\n    job_retry_limit: 9\n"));
    assertEquals("cron.yaml line 1: unknown key 'jobs' (cron.yaml has a 'cron:' list)", message("jobs: []\n"));
    String syntax = message("cron:\n- url: /a\n  schedule: [every\n");
    assertTrue(syntax.matches("cron\\.yaml line [34]: .+"), syntax);
  }

  private static String message(String yaml) {
    return assertThrows(ScheduleException.class, () -> CronYaml.parse(yaml)).getMessage();
  }
}
