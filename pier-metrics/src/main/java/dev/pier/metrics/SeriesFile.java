package dev.pier.metrics;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The file {@code <app>.metrics} holding one app's retained windows: a compact binary format
 * (big-endian, see {@link #write}) whose latency histograms are HdrHistogram's compressed
 * encoding. Written owner-only to a temporary file, forced to disk and moved into place, so a
 * crash or a full disk leaves the previous version intact.
 */
final class SeriesFile {
  static final String SUFFIX = ".metrics";
  private static final int MAGIC = 0x504d4554; // "PMET"
  private static final int FORMAT = 1;

  private SeriesFile() {}

  static Path of(Path dir, String app) {
    return dir.resolve(app + SUFFIX);
  }

  /**
   * Layout: magic, format, rolledUpTo (epoch ms), then the 10 s and the 1 min windows, each as a
   * count followed by: end (epoch ms), length (ms), rss, cpu load, version count, and per version:
   * version, requests, the five status counts, bytes, histogram length, histogram bytes.
   */
  static void write(Path file, Series.Snapshot snapshot) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp); // so it is created anew, owner-only
    try (FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)))) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      out.writeLong(snapshot.rolledUpTo().toEpochMilli());
      writeWindows(out, snapshot.fine());
      writeWindows(out, snapshot.coarse());
      out.flush();
      channel.force(true); // a full disk shows here at the latest, before the old file is replaced
    } catch (IOException | RuntimeException e) {
      deleteQuietly(tmp, e); // a partial file would only hold on to the little space left
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteQuietly(Path tmp, Exception cause) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  private static void writeWindows(DataOutputStream out, List<Window> windows) throws IOException {
    out.writeInt(windows.size());
    for (Window w : windows) {
      out.writeLong(w.end().toEpochMilli());
      out.writeLong(w.length().toMillis());
      out.writeLong(w.rssBytes());
      out.writeDouble(w.cpuLoad());
      out.writeInt(w.versions().size());
      for (Window.VersionWindow v : w.versions()) {
        out.writeInt(v.version());
        out.writeLong(v.requests());
        for (long count : v.status().toSlots()) out.writeLong(count);
        out.writeLong(v.bytes());
        out.writeInt(v.histogram().length);
        out.write(v.histogram());
      }
    }
  }

  static Series read(Path file) throws IOException {
    try (InputStream is = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
        throw new IOException("not a Pier metrics file (or a newer format): " + file);
      }
      Instant rolledUpTo = Instant.ofEpochMilli(in.readLong());
      List<Window> fine = readWindows(in, Series.FINE_CAPACITY);
      List<Window> coarse = readWindows(in, Series.COARSE_CAPACITY);
      return new Series(fine, coarse, rolledUpTo);
    }
  }

  private static List<Window> readWindows(DataInputStream in, int max) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > max) throw new IOException("bad window count " + count);
    List<Window> windows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Instant end = Instant.ofEpochMilli(in.readLong());
      Duration length = Duration.ofMillis(in.readLong());
      long rss = in.readLong();
      double cpu = in.readDouble();
      int versionCount = in.readInt();
      if (versionCount < 0 || versionCount > 10_000) throw new IOException("bad version count");
      List<Window.VersionWindow> versions = new ArrayList<>(versionCount);
      for (int v = 0; v < versionCount; v++) {
        int version = in.readInt();
        long requests = in.readLong();
        long[] slots = new long[5];
        for (int s = 0; s < slots.length; s++) slots[s] = in.readLong();
        long bytes = in.readLong();
        int histogramLength = in.readInt();
        if (histogramLength < 0 || histogramLength > 16 << 20) throw new IOException("bad histogram");
        byte[] histogram = in.readNBytes(histogramLength);
        if (histogram.length != histogramLength) throw new IOException("truncated histogram");
        versions.add(
            new Window.VersionWindow(version, requests, StatusCounts.of(slots), bytes, histogram));
      }
      windows.add(new Window(end, length, versions, rss, cpu));
    }
    return windows;
  }
}
