package dev.pier.logstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.LogLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {
  private static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");

  @TempDir Path tmp;

  @Test
  void theStoresDirectoriesAndFilesAreOwnerOnlyEvenIfTheDirectoryExistedWorldReadable() throws Exception {
    Path dir = tmp.resolve("logs");
    Files.createDirectories(dir.resolve("index"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir.resolve("index"), PosixFilePermissions.fromString("rwxr-xr-x"));

    try (LogStore store = LogStore.open(dir, InstantSource.fixed(T0))) {
      for (int i = 0; i < 1000; i++) {
        store.append(new LogLine(T0.plusMillis(i), "shop", "app", "web.1", "password=hunter" + i));
        store.append(new LogLine(T0.plusMillis(i), "shop", "pier", "router", "path=\"/?password=" + i + "\""));
      }
      store.flush();
      store.commit();
      store.retention("shop", Duration.ofDays(1));
    }

    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.toList();
    }
    assertThat(paths).filteredOn(Files::isRegularFile).hasSizeGreaterThan(3)
        .allSatisfy(f -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
            .as(f.toString()).isEqualTo("rw-------"));
    assertThat(paths).filteredOn(Files::isDirectory).hasSize(4) // store, index, router, router/<app>
        .allSatisfy(d -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d)))
            .as(d.toString()).isEqualTo("rwx------"));
  }
}
