package dev.pier.datastores.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.pier.datastores.Plan;
import dev.pier.datastores.StoreSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pier (root) writing into a folder the add-on's uid owns: links it planted there are not followed. */
class DataDirTest {
  @TempDir Path tmp;

  @Test
  void symlinksTheAddOnLeftInItsFolderAreReplacedNotFollowed() throws Exception {
    StoreSpec spec = new StoreSpec("postgres-x-1", "postgres", new Plan("small", 1 << 20, 1, 1 << 20), 41000, -1,
        tmp.resolve("addon"));
    Files.createDirectories(spec.dataDir());
    Path rootsFile = Files.writeString(tmp.resolve("shadow"), "root's secrets\n");
    Path rootsDir = Files.createDirectories(tmp.resolve("etc"));
    Files.setPosixFilePermissions(rootsDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(spec.dataDir().resolve("pier.properties.tmp"), rootsFile);
    Files.createSymbolicLink(spec.dataDir().resolve("run"), rootsDir);

    DataDir.write(spec, "pier.properties", "admin.password=x\n");
    DataDir.mkdir(spec, "run");

    assertEquals("root's secrets\n", Files.readString(rootsFile));
    assertEquals("admin.password=x\n", Files.readString(spec.dataDir().resolve("pier.properties")));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(rootsDir)));
    assertFalse(Files.isSymbolicLink(spec.dataDir().resolve("run")));
  }

  @Test
  void aRecordTheAddOnReplacedWithASymlinkIsRefusedNotRead() throws Exception {
    StoreSpec spec = new StoreSpec("redis-x-1", "redis", new Plan("small", 1 << 20, 1, 1 << 20), 41001, -1,
        tmp.resolve("addon"));
    Files.createDirectories(spec.dataDir());
    Path other = Files.writeString(tmp.resolve("other.properties"), "user=other\npassword=other-secret\n");
    Files.createSymbolicLink(spec.dataDir().resolve("pier.properties"), other);

    dev.pier.datastores.DatastoreException refused = org.junit.jupiter.api.Assertions.assertThrows(
        dev.pier.datastores.DatastoreException.class, () -> Settings.credentials(spec));
    org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("settings"), refused.getMessage());
  }
}
