package dev.pier.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class CronHeaderTest {
  private final CronHeader header = new CronHeader();

  @Test
  void aClientCannotForgeTheCronHeader() {
    HttpHeaders h = new DefaultHttpHeaders().add("X-Pier-Cron", "true").add("x-pier-cron", "TRUE");
    header.admit(h);
    assertNull(h.get("X-Pier-Cron"));
  }

  @Test
  void aWrongKeyIsDroppedAndMarksNothing() {
    HttpHeaders h = new DefaultHttpHeaders().add("X-Pier-Cron-Key", "guess").add("X-Pier-Cron", "true");
    header.admit(h);
    assertNull(h.get("X-Pier-Cron"));
    assertFalse(h.contains("X-Pier-Cron-Key"));
  }

  @Test
  void theRoutersOwnKeyBecomesXPierCronTrueAndIsNotPassedOn() {
    HttpHeaders h = new DefaultHttpHeaders().add("X-Pier-Cron-Key", header.key());
    header.admit(h);
    assertEquals("true", h.get("X-Pier-Cron"));
    assertFalse(h.contains("X-Pier-Cron-Key"));
  }

  @Test
  void eachRouterStartHasItsOwnKey() {
    assertNotEquals(header.key(), new CronHeader().key());
    assertEquals(48, header.key().length());
  }
}
