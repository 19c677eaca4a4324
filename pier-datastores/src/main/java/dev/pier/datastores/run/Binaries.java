package dev.pier.datastores.run;

import dev.pier.datastores.DatastoreException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks that a data store's programs are installed, naming the Debian package when not. */
public final class Binaries {
  private Binaries() {}

  /** Fails with a message naming {@code debianPackage} unless every path is an executable file. */
  public static void require(String debianPackage, String... paths) throws DatastoreException {
    for (String path : paths) {
      if (!Files.isExecutable(Path.of(path))) {
        throw new DatastoreException(path + " is missing: install the Debian package " + debianPackage
            + " (bin/pier-up installs it)");
      }
    }
  }
}
