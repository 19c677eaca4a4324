package dev.pier.datastores.run;

import dev.pier.datastores.Credentials;
import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.StoreSpec;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Pier's own record of an add-on in its data dir ({@code pier.properties}): the credentials it
 * handed out and the admin secret it keeps for itself, so that a repeated create after a crash
 * returns the same credentials and rotate can persist a new password.
 */
public final class Settings {
  static final String FILE = "pier.properties";

  private Settings() {}

  /**
   * The record; empty when there is none. The folder is the add-on's uid's, so a symlink there is
   * never followed: root reading a file the add-on's server pointed it at (another add-on's
   * record) would hand that file's secrets out as this add-on's.
   */
  public static Properties read(StoreSpec spec) throws DatastoreException {
    Path file = spec.dataDir().resolve(FILE);
    Properties p = new Properties();
    try {
      if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try (var in = Files.newByteChannel(file, java.util.Set.of(java.nio.file.StandardOpenOption.READ,
            java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
          p.load(new StringReader(new String(java.nio.channels.Channels.newInputStream(in).readAllBytes(),
              java.nio.charset.StandardCharsets.UTF_8)));
        }
      }
    } catch (IOException e) {
      throw new DatastoreException("could not read the add-on's settings: " + e.getMessage(), e);
    }
    return p;
  }

  public static void write(StoreSpec spec, Properties p) throws DatastoreException {
    StringWriter out = new StringWriter();
    try {
      p.store(out, "Pier add-on " + spec.name());
    } catch (IOException e) {
      throw new DatastoreException("could not write the add-on's settings", e);
    }
    DataDir.write(spec, FILE, out.toString());
  }

  /** Saves the credentials (and keeps what else is there). */
  public static void saveCredentials(StoreSpec spec, Credentials c) throws DatastoreException {
    Properties p = read(spec);
    p.setProperty("user", c.user());
    p.setProperty("password", c.password());
    p.setProperty("path", c.path());
    write(spec, p);
  }

  /** The saved credentials, for the spec's host and port. */
  public static Credentials credentials(StoreSpec spec) throws DatastoreException {
    Properties p = read(spec);
    return new Credentials("127.0.0.1", spec.port(), p.getProperty("user", ""), p.getProperty("password", ""),
        p.getProperty("path", ""));
  }
}
