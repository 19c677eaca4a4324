package dev.pier.logstore;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each app's lines are kept, persisted as a properties file ({@code app=PT168H}).
 *
 * <p>Every change rewrites the whole file to a temporary file, forces it to disk and renames it
 * over the old one, so a crash leaves either the old or the new settings, never a torn file.
 * Thread-safe: reads are lock-free, writes are serialized.
 */
final class RetentionSettings {
  /** The retention of an app that has no setting. */
  static final Duration DEFAULT = Duration.ofDays(7);

  private final Path file;
  private final Map<String, Duration> byApp = new ConcurrentHashMap<>();

  private RetentionSettings(Path file) {
    this.file = file;
  }

  static RetentionSettings load(Path file) {
    RetentionSettings settings = new RetentionSettings(file);
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read retention settings " + file, e);
      }
      p.forEach((app, keep) -> settings.byApp.put((String) app, Duration.parse((String) keep)));
    }
    return settings;
  }

  Duration get(String app) {
    return byApp.getOrDefault(app, DEFAULT);
  }

  synchronized void set(String app, Duration keep) {
    byApp.put(app, keep);
    save();
  }

  synchronized void remove(String app) {
    if (byApp.remove(app) != null) save();
  }

  private void save() {
    Properties p = new Properties();
    new TreeMap<>(byApp).forEach((app, keep) -> p.setProperty(app, keep.toString()));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp); // so the file is created anew, owner-only
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
        p.store(out, "pier log retention per app (ISO-8601 durations)");
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write retention settings " + file, e);
    }
  }
}
