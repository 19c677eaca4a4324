package dev.pier.logstore;

import dev.pier.logstore.RouterSegments.Line;
import dev.pier.logstore.RouterSegments.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.lucene.util.compress.LZ4;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's access lines ({@code pier[router]}), kept apart from the Lucene index: one per
 * request is far too many full-text documents. Lines are appended as compact records to LZ4 blocks
 * in append-only segment files, one directory per app ({@link RouterSegments} has the format);
 * searches scan segments newest first, skipping those outside the time asked for, and match text
 * with {@link TextMatcher}, so they find what the index found (request id, status, path, words).
 *
 * <p>Costs: an append encodes the line's UTF-8 into the app's block buffer (no analysis, no
 * index); every {@value #BLOCK_BYTES} bytes the block is compressed and written, in the calling
 * thread (a page-cache write of a few KB). A search reads whole segments: about as fast as
 * reading and decompressing the app's router lines within the time asked for.
 *
 * <p>Durability as the index: {@link #sync} (every commit) writes the partial blocks and forces
 * the files; a line is searchable as soon as it is appended. Retention deletes whole segments once
 * their newest line expired, and searches skip expired lines before that. A write that fails (a
 * full disk) counts the block's lines as not stored and closes the segment; the next write after
 * {@value #RETRY_MILLIS} ms starts a new one. A torn tail after a crash loses only the lines not
 * yet synced.
 *
 * <p>Thread-safe: each app's writer is guarded by its own lock; searches read under it only the
 * list of segments and the unwritten block.
 */
final class RouterLineStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RouterLineStore.class);
  static final String DIR = "router";
  static final int BLOCK_BYTES = 32 * 1024;
  static final long SEGMENT_BYTES = 4L << 20;
  /** A segment spans at most this much line time, so retention frees space hour by hour. */
  static final long SEGMENT_SPAN_NANOS = 3_600_000_000_000L;
  static final long RETRY_MILLIS = 1000;

  private final Path dir;
  private final DropCounter notStored;
  private final Consumer<String> onFailure;
  private final ConcurrentHashMap<String, AppLines> apps = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * Opens the store under {@code dir}, closing segments a crash left open.
   *
   * @param notStored counts lines a failed write lost, per app
   * @param onFailure hears the reason of a failed write
   */
  RouterLineStore(Path dir, DropCounter notStored, Consumer<String> onFailure) throws IOException {
    this.dir = dir;
    this.notStored = notStored;
    this.onFailure = onFailure;
    OwnerOnly.createDirectories(dir);
    try (DirectoryStream<Path> appDirs = Files.newDirectoryStream(dir)) {
      for (Path appDir : appDirs) {
        String app = appName(appDir);
        if (app != null) apps.put(app, AppLines.open(app, appDir));
      }
    }
  }

  /** Appends a line of {@code app}; never throws for a failed write (it counts the line). */
  void append(String app, long nanos, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    while (true) {
      AppLines lines = apps.computeIfAbsent(app, a -> new AppLines(a, dir.resolve(dirName(a))));
      synchronized (lines) {
        if (lines.deleted) continue; // deleted meanwhile: a new directory
        if (closed) {
          notStored.add(app);
          return;
        }
        lines.append(nanos, utf8, this);
        return;
      }
    }
  }

  /**
   * The newest lines of {@code app} (in append order, which for router lines is time order) that
   * are at or after {@code fromNanos} and match {@code matcher}, newest first, at most {@code
   * limit}.
   */
  List<Line> search(String app, long fromNanos, TextMatcher matcher, int limit) throws IOException {
    AppLines lines = apps.get(app);
    if (lines == null) return List.of();
    List<Line> buffered;
    List<Segment> segments;
    Path open;
    long openBytes;
    long openMax;
    synchronized (lines) {
      buffered = RouterSegments.records(lines.raw, lines.rawLength);
      segments = new ArrayList<>(lines.closed);
      open = lines.channel == null ? null : lines.openPath;
      openBytes = lines.fileBytes;
      openMax = lines.fileMax;
    }
    List<Line> found = new ArrayList<>(Math.min(limit, 64));
    if (collect(buffered, fromNanos, matcher, limit, found)) return found;
    if (open != null && openBytes > 0 && openMax >= fromNanos) {
      if (scan(open, (int) openBytes, fromNanos, matcher, limit, found)) return found;
    }
    for (int i = segments.size() - 1; i >= 0; i--) {
      Segment s = segments.get(i);
      if (s.maxNanos() < fromNanos) continue;
      if (scan(s.path(), Integer.MAX_VALUE, fromNanos, matcher, limit, found)) return found;
    }
    return found;
  }

  /** Whether {@code found} is full after adding the matching lines of {@code lines}, newest first. */
  private static boolean collect(List<Line> lines, long fromNanos, TextMatcher matcher, int limit,
      List<Line> found) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      Line line = lines.get(i);
      if (line.nanos() >= fromNanos && matcher.matches(line.text())) {
        found.add(line);
        if (found.size() >= limit) return true;
      }
    }
    return false;
  }

  private static boolean scan(Path file, int length, long fromNanos, TextMatcher matcher, int limit,
      List<Line> found) throws IOException {
    byte[] bytes;
    try {
      bytes = readPrefix(file, length);
    } catch (NoSuchFileException e) {
      return false; // expired and deleted meanwhile
    }
    List<Integer> blocks = RouterSegments.blocks(bytes, bytes.length);
    long[] words = matcher.wordHashes();
    for (int b = blocks.size() - 1; b >= 0; b--) {
      if (words != null && !RouterSegments.mayHold(bytes, blocks.get(b), words)) continue;
      byte[] raw = RouterSegments.raw(bytes, blocks.get(b));
      if (!matcher.mayMatch(raw, raw.length)) continue; // a word no line of the block has: skip it whole
      if (collect(RouterSegments.records(raw, raw.length), fromNanos, matcher, limit, found)) return true;
    }
    return false;
  }

  private static byte[] readPrefix(Path file, int length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      int n = (int) Math.min(length, ch.size());
      ByteBuffer buf = ByteBuffer.allocate(n);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // read on
      }
      return buf.position() == n ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }
  }

  /**
   * Deletes the segments of {@code app} whose lines are all older than {@code cutoffNanos}.
   *
   * @return how many lines they held
   */
  long purge(String app, long cutoffNanos) {
    AppLines lines = apps.get(app);
    if (lines == null) return 0;
    synchronized (lines) {
      if (lines.channel != null && lines.rawLength == 0 && lines.fileMax < cutoffNanos) lines.roll(this);
      long deleted = 0;
      for (var it = lines.closed.iterator(); it.hasNext(); ) {
        Segment s = it.next();
        if (s.maxNanos() >= cutoffNanos) continue;
        try {
          Files.deleteIfExists(s.path());
          it.remove();
          deleted += s.count();
        } catch (IOException e) {
          LOG.warn("cannot delete expired router log segment {}: {}", s.path(), e.toString());
        }
      }
      return deleted;
    }
  }

  /** Deletes every line of {@code app}; lines appended afterwards start a new directory. */
  void deleteApp(String app) throws IOException {
    AppLines lines = apps.get(app);
    if (lines == null) return;
    synchronized (lines) {
      lines.deleted = true;
      apps.remove(app, lines);
      lines.closeChannel();
      if (Files.exists(lines.dir)) {
        try (var files = Files.list(lines.dir)) {
          for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(lines.dir);
      }
    }
  }

  /** The apps with router lines. */
  Set<String> apps() {
    return apps.keySet();
  }

  /** Writes every partial block and forces the open segments to disk. */
  void sync() {
    for (AppLines lines : apps.values()) {
      FileChannel channel;
      synchronized (lines) {
        if (lines.deleted) continue;
        lines.writeBlock(this);
        channel = lines.synced ? null : lines.channel;
        lines.synced = true;
      }
      if (channel == null) continue;
      try {
        channel.force(false); // outside the lock: appends go on meanwhile
      } catch (java.nio.channels.ClosedChannelException e) {
        // rolled meanwhile, and forced then
      } catch (IOException e) {
        LOG.warn("cannot sync router log segment: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    sync();
    closed = true;
    for (AppLines lines : apps.values()) {
      synchronized (lines) {
        lines.writeBlock(this);
        if (lines.channel != null) lines.roll(this);
      }
    }
  }

  private void failed(String app, long lost, IOException e) {
    notStored.add(app, lost);
    onFailure.accept(LogIndex.reason(e));
    LOG.debug("router log write failed for {}", app, e);
  }

  static String dirName(String app) {
    return HexFormat.of().formatHex(app.getBytes(StandardCharsets.UTF_8));
  }

  private static String appName(Path appDir) {
    try {
      return new String(HexFormat.of().parseHex(appDir.getFileName().toString()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** One app's segments and its writer. Guarded by itself. */
  private static final class AppLines {
    final String app;
    final Path dir;
    final List<Segment> closed = new ArrayList<>();
    final LZ4.FastCompressionHashTable table = new LZ4.FastCompressionHashTable();
    byte[] raw = new byte[BLOCK_BYTES + 1024];
    int rawLength;
    int rawCount;
    long rawMin = Long.MAX_VALUE;
    long rawMax = Long.MIN_VALUE;
    /** The words of the buffered lines ({@link RouterSegments#addWords}). */
    final long[] words = new long[RouterSegments.BLOOM_LONGS];
    FileChannel channel;
    Path openPath;
    long openSeq;
    long nextSeq;
    long fileBytes;
    long fileCount;
    long fileMin = Long.MAX_VALUE;
    long fileMax = Long.MIN_VALUE;
    boolean synced = true;
    boolean deleted;
    long retryAtMillis;

    AppLines(String app, Path dir) {
      this.app = app;
      this.dir = dir;
    }

    /** Loads the segments of {@code dir}; closes (renames) any a crash left open. */
    static AppLines open(String app, Path dir) throws IOException {
      AppLines lines = new AppLines(app, dir);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path f : files) {
          String name = f.getFileName().toString();
          if (name.endsWith(".open")) {
            lines.closed.add(recover(f));
          } else {
            Segment s = Segment.parse(f);
            if (s != null) lines.closed.add(s);
          }
        }
      }
      lines.closed.removeIf(s -> s == null);
      lines.closed.sort(Comparator.comparingLong(Segment::seq));
      lines.nextSeq = lines.closed.isEmpty() ? 1 : lines.closed.getLast().seq() + 1;
      return lines;
    }

    /** Names a segment left open by its intact blocks; deletes it if it has none. */
    private static Segment recover(Path f) throws IOException {
      String name = f.getFileName().toString();
      long seq = Long.parseLong(name.substring(0, name.length() - ".open".length()));
      byte[] bytes = Files.readAllBytes(f);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      long count = 0;
      for (int offset : RouterSegments.blocks(bytes, bytes.length)) {
        for (Line line : RouterSegments.lines(bytes, offset)) {
          min = Math.min(min, line.nanos());
          max = Math.max(max, line.nanos());
          count++;
        }
      }
      if (count == 0) {
        Files.delete(f);
        return null;
      }
      Path closed = f.resolveSibling(Segment.name(seq, min, max, count));
      Files.move(f, closed);
      return new Segment(closed, seq, min, max, count);
    }

    void append(long nanos, byte[] utf8, RouterLineStore store) {
      if (retryAtMillis != 0 && System.currentTimeMillis() < retryAtMillis) {
        store.notStored.add(app);
        return;
      }
      int need = rawLength + RouterSegments.RECORD_HEADER + utf8.length;
      if (need > raw.length) raw = Arrays.copyOf(raw, Math.max(need, raw.length * 2));
      ByteBuffer b = ByteBuffer.wrap(raw);
      b.putLong(rawLength, nanos).putInt(rawLength + 8, utf8.length);
      System.arraycopy(utf8, 0, raw, rawLength + RouterSegments.RECORD_HEADER, utf8.length);
      RouterSegments.addWords(words, utf8, 0, utf8.length);
      rawLength = need;
      rawCount++;
      rawMin = Math.min(rawMin, nanos);
      rawMax = Math.max(rawMax, nanos);
      if (rawLength >= BLOCK_BYTES) writeBlock(store);
    }

    /** Compresses and writes the buffered lines as one block. */
    void writeBlock(RouterLineStore store) {
      if (rawCount == 0) return;
      try {
        if (channel != null && (fileMax != Long.MIN_VALUE
            && Math.max(fileMax, rawMax) - Math.min(fileMin, rawMin) > SEGMENT_SPAN_NANOS)) {
          roll(store);
        }
        if (channel == null) openSegment();
        ByteBuffer block = RouterSegments.block(raw, rawLength, rawCount, words, table);
        int size = block.remaining();
        while (block.hasRemaining()) channel.write(block);
        fileBytes += size;
        fileCount += rawCount;
        fileMin = Math.min(fileMin, rawMin);
        fileMax = Math.max(fileMax, rawMax);
        synced = false;
        retryAtMillis = 0;
      } catch (IOException e) {
        store.failed(app, rawCount, e);
        retryAtMillis = System.currentTimeMillis() + RETRY_MILLIS;
        if (channel != null) roll(store); // its intact blocks stay; the next write starts anew
      } finally {
        clearBuffer();
      }
      if (fileBytes >= SEGMENT_BYTES) roll(store);
    }

    private void clearBuffer() {
      rawLength = 0;
      rawCount = 0;
      rawMin = Long.MAX_VALUE;
      rawMax = Long.MIN_VALUE;
      Arrays.fill(words, 0L);
      if (raw.length > 4 * BLOCK_BYTES) raw = new byte[BLOCK_BYTES + 1024]; // one huge line passed
    }

    private void openSegment() throws IOException {
      OwnerOnly.createDirectories(dir);
      openSeq = nextSeq++;
      openPath = dir.resolve(openSeq + ".open");
      channel = FileChannel.open(openPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      OwnerOnly.restrict(openPath);
      fileBytes = 0;
      fileCount = 0;
      fileMin = Long.MAX_VALUE;
      fileMax = Long.MIN_VALUE;
    }

    /** Forces, closes and names the open segment (deletes it when it holds no line). */
    void roll(RouterLineStore store) {
      if (channel == null) return;
      try {
        channel.force(false);
      } catch (IOException e) {
        LOG.debug("cannot force router log segment", e);
      }
      closeChannel();
      try {
        if (fileCount == 0) {
          Files.deleteIfExists(openPath);
        } else {
          Path named = openPath.resolveSibling(Segment.name(openSeq, fileMin, fileMax, fileCount));
          Files.move(openPath, named);
          closed.add(new Segment(named, openSeq, fileMin, fileMax, fileCount));
        }
      } catch (IOException e) {
        LOG.warn("cannot close router log segment {} (recovered on the next start): {}", openPath, e.toString());
      }
      fileBytes = 0;
      fileCount = 0;
      synced = true;
    }

    void closeChannel() {
      if (channel == null) return;
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing router log segment", e);
      }
      channel = null;
    }
  }
}
