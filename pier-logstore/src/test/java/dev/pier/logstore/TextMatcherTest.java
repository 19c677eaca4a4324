package dev.pier.logstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.LogLine;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Router lines (scanned with {@link TextMatcher}) are found by the same searches as indexed lines. */
class TextMatcherTest {
  private static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");
  private static final List<String> TEXTS = List.of(
      "at=info method=GET path=\"/items/42\" host=shop.localhost request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 status=200 bytes=975",
      "at=error code=H12 desc=\"Request timeout\" method=POST path=\"/Checkout\" request_id=abc status=503 bytes=0",
      "at=info method=GET path=\"/caf\u00e9/men\u00fc\" host=shop.localhost status=404 bytes=12",
      "at=info method=GET path=\"/items/4200\" status=200 service=42ms",
      "Error L10 (output buffer overflow): 3 router lines dropped");
  private static final List<String> QUERIES = List.of("status=200", "200", "STATUS=503", "items", "\"items 42\"",
      "8601b555-6a83-4c12-8269-97c8e32cdb22", "request_id=8601b555-6a83-4c12-8269-97c8e32cdb22", "6a83",
      "checkout timeout", "caf\u00e9", "men\u00fc", "caf", "42", "\"status=404 bytes\"", "L10", "nothing-here", "", "=",
      "h12 \"request timeout\"", "4c12 8269");

  @TempDir Path dir;

  @Test
  void scannedRouterLinesMatchExactlyWhatTheIndexMatches() {
    try (LogStore store = LogStore.open(dir, InstantSource.fixed(T0.plusSeconds(60)))) {
      for (int i = 0; i < TEXTS.size(); i++) {
        store.append(new LogLine(T0.plusMillis(i), "indexed", "pier", "api", TEXTS.get(i)));
        store.append(new LogLine(T0.plusMillis(i), "scanned", "pier", "router", TEXTS.get(i)));
      }
      store.flush();
      store.commit(); // router blocks written: their word filters take part
      for (String q : QUERIES) {
        List<String> indexed = store.search(LogQuery.of("indexed", q, 100)).stream().map(LogLine::text).toList();
        List<String> scanned = store.search(LogQuery.of("scanned", q, 100)).stream().map(LogLine::text).toList();
        assertThat(scanned).as(q).isEqualTo(indexed);
      }
    }
  }
}
