package dev.pier.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.app.AppStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's promise under SIGKILL, without the rest of the platform: a writer process is killed
 * right after acknowledged writes, with freed file space being reused, and every write it
 * acknowledged must be there when the store is opened again.
 */
class DatabaseKillTest {
  @TempDir Path tmp;

  @Test
  void everyAcknowledgedWriteSurvivesSigkillWhileFreedSpaceIsReused() throws Exception {
    Path dir = tmp.resolve("db");
    Random random = new Random();
    List<String> acknowledged = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      String java = ProcessHandle.current().info().command().orElse("java");
      Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          AckedWrites.class.getName(), dir.toString(), "r" + round)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      int killAfter = 20 + random.nextInt(60);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
        for (int i = 0; i < killAfter; i++) {
          String line = out.readLine();
          assertThat(line).as("the writer stopped early (round %d)", round).isNotNull();
          acknowledged.add(line);
        }
        writer.destroyForcibly();
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      try (Database db = Database.open(dir)) {
        Set<String> stored = new HashSet<>();
        new AppStore(db).all().forEach(a -> stored.add(a.name().value()));
        List<String> lost = acknowledged.stream().filter(n -> !stored.contains(n)).toList();
        assertThat(lost).as("acknowledged, then lost by kill %d", round).isEmpty();
      }
    }
  }
}
