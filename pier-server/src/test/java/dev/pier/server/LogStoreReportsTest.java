package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.logs.LogBus;
import dev.pier.logstore.LogStore;
import dev.pier.model.LogLine;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogStoreReportsTest {
  private final LogBus logs = new LogBus(10, InstantSource.fixed(Instant.parse("2026-11-27T05:31:00.123456Z")));
  private final LogStoreReports reports = new LogStoreReports(logs);

  @Test
  void linesLostToAFullDiskShowAsErrorL11InTheAppsStreamAndItsSinks() {
    List<LogLine> sunk = new ArrayList<>();
    logs.addSink(sunk::add);

    reports.linesNotStored("shop", 812, "No space left on device");

    assertThat(logs.recent("shop", 1)).singleElement().extracting(LogLine::format)
        .isEqualTo("2026-11-27T05:31:00.123456Z pier[logstore]: Error L11 (disk full): 812 lines not stored: No space left on device");
    // The store recognises its own report, so a report it cannot store is not reported again.
    assertThat(sunk).singleElement().extracting(LogLine::process).isEqualTo(LogStore.REPORT_PROCESS);
  }

  @Test
  void otherStorageFailuresAreNamedAsSuch() {
    reports.linesNotStored("shop", 3, "Input/output error");

    assertThat(logs.recent("shop", 1)).extracting(LogLine::text)
        .containsExactly("Error L11 (log storage failed): 3 lines not stored: Input/output error");
  }
}
