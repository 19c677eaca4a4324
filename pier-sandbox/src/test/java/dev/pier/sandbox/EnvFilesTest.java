package dev.pier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The private files that hand sandboxes their environment. */
class EnvFilesTest {
  @Test
  void aFolderRemovedByATemporaryFileCleanerIsMadeAgainPrivate() throws Exception {
    Path file = EnvFiles.next();
    Files.delete(file.getParent());

    EnvFiles.write(file, Map.of("SECRET", "s3cret"));
    try {
      assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
      assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.readString(file)).isEqualTo("--setenv\0SECRET\0s3cret\0");
    } finally {
      EnvFiles.delete(file);
    }
  }

  @Test
  void aFolderOthersCanEnterIsRefused() throws Exception {
    Path file = EnvFiles.next();
    Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      assertThatThrownBy(() -> EnvFiles.write(file, Map.of("SECRET", "s3cret"))).isInstanceOf(IOException.class)
          .hasMessageContaining("not this user's private folder");
      assertThat(file).doesNotExist();
    } finally {
      Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aNulInANameOrValueIsRefusedSoItCannotBecomeABwrapOption() throws Exception {
    Path file = EnvFiles.next();
    assertThatThrownBy(() -> EnvFiles.write(file, Map.of("X", "v\0--ro-bind\0/proc\0/tmp/hostproc")))
        .isInstanceOf(IOException.class).hasMessageContaining("X holds a NUL");
    assertThatThrownBy(() -> EnvFiles.write(file, Map.of("X\0--bind", "v"))).isInstanceOf(IOException.class);
    assertThat(file).doesNotExist();
  }

  @Test
  void aLaunchAfterTheFolderStoppedBeingPrivateGetsAFreshPrivateFolder() throws Exception {
    Path before = EnvFiles.next().getParent();
    Files.setPosixFilePermissions(before, PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      Path file = EnvFiles.next();
      assertThat(file.getParent()).isNotEqualTo(before);
      EnvFiles.write(file, Map.of("SECRET", "s3cret"));
      assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
      EnvFiles.delete(file);
    } finally {
      Files.setPosixFilePermissions(before, PosixFilePermissions.fromString("rwx------"));
    }
  }
}
