package dev.pier.logstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.LogLine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
  private static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");

  @TempDir Path dir;

  @Test
  void closedStoreReopensWithEveryLine() {
    try (LogStore store = LogStore.open(dir, InstantSource.fixed(T0))) {
      for (int i = 0; i < 5000; i++) {
        store.append(new LogLine(T0.plusMillis(i), "app-" + i % 3, "app", "web.1", "line " + i));
      }
    } // no flush: close writes what is queued and commits

    try (LogStore store = LogStore.open(dir, InstantSource.fixed(T0))) {
      assertThat(store.count(LogQuery.of("app-0", "", 1))).isEqualTo(1667);
      assertThat(store.recent("app-2", 1)).extracting(LogLine::text).containsExactly("line 4997");
      store.append(new LogLine(T0.plusSeconds(60), "app-2", "app", "web.1", "after reopen"));
      store.flush();
      assertThat(store.recent("app-2", 2)).extracting(LogLine::text).containsExactly("line 4997", "after reopen");
    }
  }

  @Test
  void killedStoreKeepsTheCommittedLines() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CrashingAppender.class.getName(), dir.toString(), "3000")
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals(CrashingAppender.READY)) {}
      assertThat(line).as("child output").isEqualTo(CrashingAppender.READY);
      child.destroyForcibly(); // SIGKILL: no close(), no final commit
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }

    try (LogStore store = LogStore.open(dir, InstantSource.fixed(T0))) {
      assertThat(store.count(LogQuery.of("shop", "", 1))).isEqualTo(3000);
      assertThat(store.search(LogQuery.of("shop", "committed", 1))).extracting(LogLine::text)
          .containsExactly("committed line 2999");
    }
  }

  /** Appends lines, waits past a commit, says so, then waits to be killed. */
  static final class CrashingAppender {
    static final String READY = "committed";

    public static void main(String[] args) throws InterruptedException {
      LogStore store = LogStore.open(Path.of(args[0]), InstantSource.system(),
          LogStoreOptions.DEFAULTS.withCommitInterval(Duration.ofMillis(50)));
      int n = Integer.parseInt(args[1]);
      for (int i = 0; i < n; i++) {
        store.append(new LogLine(T0.plusMillis(i), "shop", "app", "web.1", "committed line " + i));
      }
      store.flush();
      Thread.sleep(1000); // many commit intervals
      System.out.println(READY);
      System.out.flush();
      Thread.sleep(60_000);
    }
  }
}
