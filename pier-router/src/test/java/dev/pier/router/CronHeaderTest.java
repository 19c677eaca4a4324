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
  void underscoreSpellingsThatCgiAppsReadAsTheSameVariableAreDroppedToo() {
    HttpHeaders h = new DefaultHttpHeaders().add("X_Pier_Cron", "true").add("x-pier_cron", "true")
        .add("X_PIER_CRON_KEY", "guess").add("X-Other_Header", "kept");
    header.admit(h);
    assertFalse(h.contains("X_Pier_Cron"));
    assertFalse(h.contains("x-pier_cron"));
    assertFalse(h.contains("X_PIER_CRON_KEY"));
    assertNull(h.get("X-Pier-Cron"));
    assertEquals("kept", h.get("X-Other_Header"));
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
