package dev.pier.logstore;

import dev.pier.model.LogLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
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
 * {@link #close}. See the package documentation for the design.
 */
public final class LogStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogStore.class);
  static final String INDEX_DIR = "index";
  static final String RETENTION_FILE = "retention.properties";
  /** Buffered bytes a search may flush itself (~10,000 lines, tens of milliseconds). */
  private static final long SEARCH_REFRESH_MAX_BYTES = 4L << 20;

  private final InstantSource clock;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Analyzer analyzer;
  private final IndexingQueue[] queues;
  private final DropCounter drops = new DropCounter();
  private final RetentionSettings retention;
  private final ScheduledExecutorService background;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final long searchRefreshNanos;
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  private volatile long lastRefreshNanos = System.nanoTime();

  private LogStore(Path dir, InstantSource clock, LogStoreOptions options) throws IOException {
    this.clock = clock;
    this.searchRefreshNanos = options.searchRefreshAge().toNanos();
    Files.createDirectories(dir);
    this.retention = RetentionSettings.load(dir.resolve(RETENTION_FILE));
    this.analyzer = new LogAnalyzer();
    this.directory = FSDirectory.open(dir.resolve(INDEX_DIR));
    IndexWriterConfig config =
        new IndexWriterConfig(analyzer)
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
            .setRAMBufferSizeMB(options.ramBufferMb())
            .setMergePolicy(mergePolicy())
            // Compound files save file handles, not work: each would be one more copy of a segment.
            .setUseCompoundFile(false)
            .setCommitOnClose(true);
    IndexWriter w = new IndexWriter(directory, config);
    try {
      this.writer = w;
      this.searchers = new SearcherManager(w, null);
      searchers.addListener(new ReferenceManager.RefreshListener() {
        @Override
        public void beforeRefresh() {}

        @Override
        public void afterRefresh(boolean didRefresh) {
          if (didRefresh) lastRefreshNanos = System.nanoTime();
        }
      });
    } catch (IOException | RuntimeException e) {
      w.rollback();
      directory.close();
      throw e;
    }
    // Each app goes to one queue, so its lines keep their order; sequence numbers only compare
    // within an app and start above those of earlier runs (unless > 2^20 lines per ms were kept).
    this.queues = new IndexingQueue[options.writerThreads()];
    long firstSequence = System.currentTimeMillis() << 20;
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new IndexingQueue("pier-logstore-writer-" + i,
          Math.max(1, options.queueCapacity() / queues.length), writer, drops, firstSequence);
      queues[i].start();
    }
    this.background =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "pier-logstore-background");
              t.setDaemon(true);
              return t;
            });
    long refresh = options.refreshInterval().toMillis();
    long commit = options.commitInterval().toMillis();
    background.scheduleWithFixedDelay(this::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(this::commit, commit, commit, TimeUnit.MILLISECONDS);
  }

  /** Opens the store in {@code dir}, creating it if needed; {@code clock} drives retention. */
  public static LogStore open(Path dir, InstantSource clock) {
    return open(dir, clock, LogStoreOptions.DEFAULTS);
  }

  static LogStore open(Path dir, InstantSource clock, LogStoreOptions options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(clock, "clock");
    try {
      return new LogStore(dir, clock, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open log store in " + dir, e);
    }
  }

  /**
   * Enqueues a line for storage. Never blocks: when the write queue (100,000 lines) is full, or the
   * store is closed, the line is dropped and counted in {@link #takeDropped()}.
   *
   * @throws NullPointerException if the line or any of its parts is null
   */
  public void append(LogLine line) {
    Objects.requireNonNull(line.time(), "time");
    Objects.requireNonNull(line.app(), "app");
    Objects.requireNonNull(line.source(), "source");
    Objects.requireNonNull(line.process(), "process");
    Objects.requireNonNull(line.text(), "text");
    queues[Math.floorMod(line.app().hashCode(), queues.length)].offer(line);
  }

  /** The lines matching {@code query}, newest first, at most {@code query.limit()}. */
  public List<LogLine> search(LogQuery query) {
    Query q = SearchQueries.of(query, analyzer);
    try {
      refreshIfStale();
      IndexSearcher searcher = searchers.acquire();
      try {
        TopFieldDocs top = searcher.search(q, query.limit(), SearchQueries.NEWEST_FIRST, false);
        StoredFields stored = searcher.storedFields();
        List<LogLine> lines = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
          Document d = stored.document(hit.doc, LogDocument.STORED);
          long time = (Long) ((FieldDoc) hit).fields[0];
          lines.add(LogDocument.read(d, query.app(), time));
        }
        return lines;
      } finally {
        searchers.release(searcher);
      }
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
   * once; the deletion is durable at the next commit.
   *
   * @return how many lines were deleted (counted just before deleting, so a line of the past
   *     being written at that moment may be deleted without being counted)
   */
  public long purgeExpired() {
    Instant now = clock.instant();
    try {
      searchers.maybeRefreshBlocking();
      long deleted = 0;
      IndexSearcher searcher = searchers.acquire();
      try {
        for (String app : apps(searcher)) {
          Query expired = SearchQueries.olderThan(app, now.minus(retention.get(app)));
          int count = searcher.count(expired);
          if (count > 0) {
            writer.deleteDocuments(expired);
            deleted += count;
          }
        }
      } finally {
        searchers.release(searcher);
      }
      if (deleted > 0) searchers.maybeRefreshBlocking();
      return deleted;
    } catch (IOException e) {
      throw new UncheckedIOException("log purge failed", e);
    }
  }

  /**
   * Deletes every stored line of {@code app}, its retention setting and its drop count, durably
   * (commits). Lines of the app still in the write queue are stored afterwards.
   */
  public void deleteApp(String app) {
    Objects.requireNonNull(app, "app");
    try {
      writer.deleteDocuments(SearchQueries.app(app));
      writer.commit(); // an app's deletion must not come back after a crash
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete logs of " + app, e);
    }
    retention.remove(app);
    drops.forget(app);
  }

  /** Lines dropped per app since the previous call (apps without drops are absent); resets. */
  public Map<String, Long> takeDropped() {
    return drops.take();
  }

  /** Waits until every line appended so far is searchable. */
  public void flush() {
    try {
      for (IndexingQueue queue : queues) queue.awaitWritten();
      searchers.maybeRefreshBlocking();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while flushing", e);
    } catch (IOException e) {
      throw new UncheckedIOException("log flush failed", e);
    }
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
      refreshIfStale();
      IndexSearcher searcher = searchers.acquire();
      try {
        return searcher.count(SearchQueries.of(query, analyzer));
      } finally {
        searchers.release(searcher);
      }
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
      searchers.close();
      writer.close();
      directory.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing the log store", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close log store", e);
    }
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
   * Before a search, when the writer holds lines the view lacks and the view is older than {@code
   * searchRefreshAge} (so a heavy stream does not flush a segment per search): refreshes here if
   * little is buffered (a quick flush) and no refresh is running, so the search sees every line
   * written until now; otherwise asks the background thread to refresh and searches the current
   * view, which is at most about a second old, rather than wait for a big flush.
   */
  private void refreshIfStale() throws IOException {
    if (System.nanoTime() - lastRefreshNanos < searchRefreshNanos) return;
    if (searchers.isSearcherCurrent()) return;
    if (writer.ramBytesUsed() <= SEARCH_REFRESH_MAX_BYTES) {
      searchers.maybeRefresh(); // returns at once if the background thread is refreshing
    } else if (refreshQueued.compareAndSet(false, true)) {
      try {
        background.execute(() -> {
          refreshQueued.set(false);
          refresh();
        });
      } catch (RejectedExecutionException e) {
        refreshQueued.set(false); // closing
      }
    }
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
    try {
      searchers.maybeRefresh();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot refresh log searcher", e);
    }
  }

  private void commit() {
    try {
      if (writer.hasUncommittedChanges()) writer.commit();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot commit log index", e);
    }
  }
}
