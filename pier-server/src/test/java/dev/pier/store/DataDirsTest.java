package dev.pier.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirsTest {
  @TempDir Path tmp;

  @Test
  void logAndMetricsDirectoriesAreOwnerOnlyAlsoWhenAnOlderServerCreatedThemWorldReadable() throws Exception {
    DataDirs dirs = new DataDirs(tmp.resolve("data"));
    Files.createDirectories(dirs.logs());
    Files.setPosixFilePermissions(dirs.logs(), PosixFilePermissions.fromString("rwxr-xr-x"));

    dirs.create(false);

    assertThat(permissions(dirs.logs())).isEqualTo("rwx------");
    assertThat(permissions(dirs.metrics())).isEqualTo("rwx------");
    assertThat(permissions(dirs.run())).isEqualTo("rwx--x--x"); // instances still reach their own folders
  }

  private static String permissions(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
