package dev.pier.logstore;

import dev.pier.model.LogLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, searchable store of every app's log lines, with per-app retention.
 *
 * <p>Thread-safe. {@link #append} never blocks (lines are dropped and counted when the writer
 * falls behind); a line is searchable within about a second after it is appended (sooner when a
 * search asks for it), at once after {@link #flush}; lines are durable once committed, which happens every 5 s and on
 * {@link #close}. When writing fails (a full disk), lines are reported to a {@link NotStoredListener}
 * instead of stored, searches see the last commit, and the store reopens its index by itself. See
 * the package documentation for the design.
 */
public final class LogStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogStore.class);
  static final String INDEX_DIR = "index";
  static final String RETENTION_FILE = "retention.properties";
  /**
   * The process name of the platform lines that report lines not stored; such lines are not
   * counted when they cannot be stored either.
   */
  public static final String REPORT_PROCESS = "logstore";
  private static final Duration REPORT_INTERVAL = Duration.ofSeconds(1);

  private static final Analyzer ANALYZER = new LogAnalyzer();

  private final InstantSource clock;
  private final LogIndex index;
  /** Set right after the index opens (a failure before that has no writer to wake). */
  private final IndexingQueue[] queues;
  private final DropCounter drops = new DropCounter();
  private final DropCounter notStored = new DropCounter();
  private final NotStoredListener listener;
  private final RetentionSettings retention;
  private final ScheduledThreadPoolExecutor background;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The router's access lines: compact segment files, not index documents. */
  private final RouterLineStore routerLines;
  private volatile String routerFailure = "";

  private LogStore(Path dir, InstantSource clock, LogStoreOptions options, NotStoredListener listener)
      throws IOException {
    this.clock = clock;
    this.listener = listener;
    OwnerOnly.createDirectories(dir);
    this.retention = RetentionSettings.load(dir.resolve(RETENTION_FILE));
    this.background = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "pier-logstore-background");
      t.setDaemon(true);
      return t;
    });
    background.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a pending reopen
    this.routerLines = new RouterLineStore(dir.resolve(RouterLineStore.DIR), notStored,
        reason -> routerFailure = reason);
    Path indexDir = dir.resolve(INDEX_DIR);
    OwnerOnly.createDirectories(indexDir);
    Directory directory = new OwnerOnly.FilesDirectory(FSDirectory.open(indexDir), indexDir);
    try {
      this.index = new LogIndex(directory, () ->
          new IndexWriterConfig(ANALYZER)
              .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
              .setRAMBufferSizeMB(options.ramBufferMb())
              .setMergePolicy(mergePolicy())
              // Compound files save file handles, not work: each would be one more copy of a segment.
              .setUseCompoundFile(false)
              .setCommitOnClose(true),
          background, options, this::wakeWriters);
    } catch (IOException | RuntimeException e) {
      directory.close();
      background.shutdownNow();
      throw e;
    }
    // Each app goes to one queue, so its lines keep their order; sequence numbers only compare
    // within an app and start above those of earlier runs (unless > 2^20 lines per ms were kept).
    IndexingQueue[] writers = new IndexingQueue[options.writerThreads()];
    long firstSequence = System.currentTimeMillis() << 20;
    for (int i = 0; i < writers.length; i++) {
      writers[i] = new IndexingQueue("pier-logstore-writer-" + i,
          Math.max(1, options.queueCapacity() / writers.length), index, drops, notStored, firstSequence);
      writers[i].start();
    }
    this.queues = writers;
    long refresh = options.refreshInterval().toMillis();
    long commit = options.commitInterval().toMillis();
    long report = REPORT_INTERVAL.toMillis();
    background.scheduleWithFixedDelay(this::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(this::commit, commit, commit, TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(this::reportNotStored, report, report, TimeUnit.MILLISECONDS);
  }

  /** Opens the store in {@code dir}, creating it if needed; {@code clock} drives retention. */
  public static LogStore open(Path dir, InstantSource clock) {
    return open(dir, clock, NotStoredListener.NONE);
  }

  /**
   * Opens the store in {@code dir} (created owner-only if needed); {@code clock} drives retention,
   * {@code listener} hears of lines that could not be stored.
   */
  public static LogStore open(Path dir, InstantSource clock, NotStoredListener listener) {
    return open(dir, clock, LogStoreOptions.DEFAULTS, listener);
  }

  static LogStore open(Path dir, InstantSource clock, LogStoreOptions options) {
    return open(dir, clock, options, NotStoredListener.NONE);
  }

  static LogStore open(Path dir, InstantSource clock, LogStoreOptions options, NotStoredListener listener) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(listener, "listener");
    try {
      return new LogStore(dir, clock, options, listener);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open log store in " + dir, e);
    }
  }

  /**
   * Enqueues a line for storage. Never blocks: when the write queue (100,000 lines) is full, or the
   * store is closed, the line is dropped and counted in {@link #takeDropped()}.
   * A router access line ({@code pier[router]}) is not queued: it is added to its app's block in
   * {@link RouterLineStore} on the calling thread (a copy; every ~170 lines a few KB compressed
   * and written to the page cache), searchable at once.
   *
   * @throws NullPointerException if the line or any of its parts is null
   */
  public void append(LogLine line) {
    Objects.requireNonNull(line.time(), "time");
    Objects.requireNonNull(line.app(), "app");
    Objects.requireNonNull(line.source(), "source");
    Objects.requireNonNull(line.process(), "process");
    Objects.requireNonNull(line.text(), "text");
    if (isRouterLine(line)) {
      if (closed.get()) drops.add(line.app());
      else routerLines.append(line.app(), LogDocument.nanos(line.time()), line.text());
      return;
    }
    queues[Math.floorMod(line.app().hashCode(), queues.length)].offer(line);
  }

  /** The lines matching {@code query}, newest first, at most {@code query.limit()}. */
  public List<LogLine> search(LogQuery query) {
    List<LogLine> indexed = searchIndex(query);
    if (!searchesRouterLines(query)) return indexed;
    long from = LogDocument.nanos(clock.instant().minus(retention.get(query.app())));
    if (query.since() != null) from = Math.max(from, LogDocument.nanos(query.since()));
    List<RouterSegments.Line> routed;
    try {
      routed = routerLines.search(query.app(), from, TextMatcher.of(query.text(), ANALYZER), query.limit());
    } catch (IOException e) {
      throw new UncheckedIOException("router log search failed", e);
    }
    if (routed.isEmpty()) return indexed;
    List<LogLine> all = new ArrayList<>(indexed.size() + routed.size());
    all.addAll(indexed);
    for (RouterSegments.Line r : routed) {
      all.add(new LogLine(LogDocument.instant(r.nanos()), query.app(), "pier", "router", r.text()));
    }
    all.sort(java.util.Comparator.comparing(LogLine::time).reversed()); // stable: ties keep their order
    return all.size() > query.limit() ? new ArrayList<>(all.subList(0, query.limit())) : all;
  }

  /** Whether a search can match router lines: kind router or any, instance router or any. */
  private static boolean searchesRouterLines(LogQuery query) {
    return (query.kind() == null || query.kind().equals("router"))
        && (query.instance() == null || query.instance().equals("router"));
  }

  /** Whether {@code line} is a router access line ({@code pier[router]}), kept apart from the index. */
  static boolean isRouterLine(LogLine line) {
    return line.process().equals("router") && line.source().equals("pier");
  }

  private List<LogLine> searchIndex(LogQuery query) {
    Query q = SearchQueries.of(query, ANALYZER);
    try {
      return index.search(searcher -> {
        TopFieldDocs top = searcher.search(q, query.limit(), SearchQueries.NEWEST_FIRST, false);
        StoredFields stored = searcher.storedFields();
        List<LogLine> lines = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
          Document d = stored.document(hit.doc, LogDocument.STORED);
          long time = (Long) ((FieldDoc) hit).fields[0];
          lines.add(LogDocument.read(d, query.app(), time));
        }
        return lines;
      });
    } catch (IOException e) {
      throw new UncheckedIOException("log search failed", e);
    }
  }

  /**
   * The newest {@code n} lines of {@code app} (at most {@link LogQuery#MAX_LIMIT}), returned oldest
   * first, as a terminal prints them.
   */
  public List<LogLine> recent(String app, int n) {
    List<LogLine> lines = new ArrayList<>(search(new LogQuery(app, "", null, null, null, n)));
    Collections.reverse(lines);
    return lines;
  }

  /** Sets how long lines of {@code app} are kept; persisted at once. */
  public void retention(String app, Duration keep) {
    Objects.requireNonNull(app, "app");
    if (keep.isNegative() || keep.isZero()) throw new IllegalArgumentException("retention must be positive");
    retention.set(app, keep);
  }

  /** How long lines of {@code app} are kept: its setting, or 7 days. */
  public Duration retention(String app) {
    return retention.get(app);
  }

  /**
   * Deletes, for every app with lines, the lines older than now minus the app's retention.
   * Lines still in the write queue are not considered. Deleted lines vanish from searches at
   * once; the deletion is durable at the next commit. Does nothing while writing fails.
   *
   * @return how many lines were deleted (counted just before deleting, so a line of the past
   *     being written at that moment may be deleted without being counted)
   */
  public long purgeExpired() {
    Instant now = clock.instant();
    LogIndex.Generation g = index.current();
    if (g.failed()) return purgeRouterLines(now);
    long deleted = 0;
    try {
      g.searchers.maybeRefreshBlocking();
      IndexSearcher searcher = g.searchers.acquire();
      try {
        for (String app : apps(searcher)) {
          Query expired = SearchQueries.olderThan(app, now.minus(retention.get(app)));
          int count = searcher.count(expired);
          if (count > 0) {
            g.writer.deleteDocuments(expired);
            deleted += count;
          }
        }
      } finally {
        g.searchers.release(searcher);
      }
      if (deleted > 0) g.searchers.maybeRefreshBlocking();
      return deleted + purgeRouterLines(now);
    } catch (IOException | RuntimeException e) {
      if (!LogIndex.isWriterFailure(g, e)) throw new IllegalStateException("log purge failed", e);
      index.fail(g, e); // the next purge redoes it
      return deleted;
    }
  }

  /** Deletes the router segments whose lines all expired; their lines are hidden already. */
  private long purgeRouterLines(Instant now) {
    long deleted = 0;
    for (String app : routerLines.apps()) {
      deleted += routerLines.purge(app, LogDocument.nanos(now.minus(retention.get(app))));
    }
    return deleted;
  }

  /**
   * Deletes every stored line of {@code app}, its retention setting and its drop counts, durably
   * (commits). Lines of the app still in the write queue are stored afterwards. While writing
   * fails, the lines are deleted when the store has reopened its index.
   */
  public void deleteApp(String app) {
    Objects.requireNonNull(app, "app");
    index.deleteApp(app);
    try {
      routerLines.deleteApp(app);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete router lines of " + app, e);
    }
    retention.remove(app);
    drops.forget(app);
    notStored.forget(app);
  }

  /** Lines dropped per app since the previous call (apps without drops are absent); resets. */
  public Map<String, Long> takeDropped() {
    return drops.take();
  }

  /**
   * Waits until every line appended so far is searchable, or counted as not stored when writing
   * fails.
   */
  public void flush() {
    try {
      for (IndexingQueue queue : queues) queue.awaitWritten();
      index.refreshBlocking();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while flushing", e);
    }
  }

  /** Whether writing failed and the index has not been reopened since (for tests). */
  boolean failing() {
    return index.failed();
  }

  /** Lines waiting for the writer thread; lets benchmarks pace themselves. */
  int queued() {
    int n = 0;
    for (IndexingQueue queue : queues) n += queue.size();
    return n;
  }

  /** Number of stored, searchable lines matching {@code query} (ignoring its limit). */
  int count(LogQuery query) {
    try {
      return index.search(searcher -> searcher.count(SearchQueries.of(query, ANALYZER)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the queued lines, commits and releases the directory. Idempotent. Lines appended after
   * (or concurrently with) close are dropped.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      for (IndexingQueue queue : queues) queue.close();
      background.shutdown();
      background.awaitTermination(30, TimeUnit.SECONDS);
      routerLines.close();
      index.close();
      Map<String, Long> lost = notStored.take(); // no report can reach the apps any more
      if (!lost.isEmpty()) {
        LOG.warn("log lines not stored while closing ({}): {}", index.failureReason(), lost);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing the log store", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close log store", e);
    }
  }

  /**
   * Whether {@code line} is one of the store's own reports of lines not stored (app processes are
   * named with their number, {@code web.1}, so cannot be {@value #REPORT_PROCESS}).
   */
  static boolean isReport(LogLine line) {
    return line.process().equals(REPORT_PROCESS);
  }

  private static List<String> apps(IndexSearcher searcher) throws IOException {
    List<String> apps = new ArrayList<>();
    Terms terms = MultiTerms.getTerms(searcher.getIndexReader(), LogDocument.APP);
    if (terms == null) return apps;
    TermsEnum it = terms.iterator();
    for (BytesRef term = it.next(); term != null; term = it.next()) apps.add(term.utf8ToString());
    return apps;
  }

  /**
   * Merges adjacent segments only, so each segment stays a stretch of time, as logs come. Small
   * segments (below 8 MB, a few seconds of a heavy stream) count as equal, so the ones every
   * refresh flushes are merged in one go rather than level by level.
   */
  private static LogByteSizeMergePolicy mergePolicy() {
    LogByteSizeMergePolicy policy = new LogByteSizeMergePolicy();
    policy.setMinMergeMB(8);
    policy.setNoCFSRatio(0);
    return policy;
  }

  private void refresh() {
    index.refresh();
  }

  /**
   * Commits, then tells each writer thread which of its batches are durable: those it had added
   * before the commit began.
   */
  void commit() {
    LogIndex.Generation g = index.current();
    long[] written = new long[queues.length];
    for (int i = 0; i < queues.length; i++) written[i] = queues[i].written();
    routerLines.sync();
    if (index.commit(g)) {
      for (int i = 0; i < queues.length; i++) queues[i].committed(g, written[i]);
    }
  }

  /** Lets idle writer threads count the lines a failure lost, so they are reported now. */
  private void wakeWriters() {
    IndexingQueue[] writers = queues;
    if (writers != null) {
      for (IndexingQueue queue : writers) queue.wake();
    }
  }

  /** Tells the listener, per app, the lines not stored since the previous report. */
  private void reportNotStored() {
    Map<String, Long> lost = notStored.take();
    if (lost.isEmpty()) return;
    String reason = index.failureReason().isEmpty() ? routerFailure : index.failureReason();
    lost.forEach((app, count) -> {
      try {
        listener.linesNotStored(app, count, reason);
      } catch (RuntimeException e) {
        LOG.warn("the listener of lines not stored failed", e);
      }
    });
  }
}
