package dev.pier.logstore;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene index of a {@link LogStore}: its writer and searchable view, kept usable when writing
 * fails (a full disk, an I/O error).
 *
 * <p>A {@link Generation} is one {@link IndexWriter} with its near-real-time view. When a write,
 * flush or commit of the current generation throws an {@link IOException} (Lucene then usually
 * closes the writer itself: a "tragic" error), {@link #fail} rolls the writer back, so the index on
 * disk stays at its last commit, switches searches to that commit, and schedules {@link #recover}:
 * a new writer opened on the last commit, retried after 1 s, 2 s, 4 s ... up to 30 s until it opens.
 * While the generation is failed, writers drop their lines (and count them), and refreshes,
 * commits and purges are skipped. The back-off and the "failed" line of the server log belong to
 * one episode, which ends with the first successful commit.
 *
 * <p>Thread-safe. {@link #fail}, {@link #recover}, {@link #deleteApp} and {@link #close} are
 * serialized on this object; {@link #current} and searches take no lock.
 */
final class LogIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogIndex.class);
  /** Buffered bytes a search may flush itself (~10,000 lines, tens of milliseconds). */
  private static final long SEARCH_REFRESH_MAX_BYTES = 4L << 20;

  /** One writer and its near-real-time view; replaced as a whole after a failure. */
  static final class Generation {
    final IndexWriter writer;
    final SearcherManager searchers;
    private volatile boolean failed;

    private Generation(IndexWriter writer, SearcherManager searchers) {
      this.writer = writer;
      this.searchers = searchers;
    }

    /** Whether this generation's writer was rolled back; set only once the rollback is done. */
    boolean failed() {
      return failed;
    }
  }

  /** Work on a searcher that may throw. */
  interface SearchWork<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private final Directory directory;
  private final Supplier<IndexWriterConfig> config;
  private final ScheduledExecutorService background;
  private final Runnable onFailure;
  private final long searchRefreshNanos;
  private final Duration firstRetry;
  private final Duration maxRetry;
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  private final AtomicLong lastMergeWarning = new AtomicLong();
  private volatile Generation current;
  /** What searches use: the current generation's view, or the last commit while it is failed. */
  private volatile SearcherManager view;
  private volatile long lastRefreshNanos = System.nanoTime();
  private volatile String failureReason = "";
  // Guarded by this.
  private Duration nextRetry;
  private boolean failureLogged;
  private boolean closed;
  private final Set<String> pendingDeletes = new LinkedHashSet<>();

  /**
   * Opens a writer on {@code directory}; {@code onFailure} runs after each failed generation was
   * rolled back (the writer threads count what it lost).
   */
  LogIndex(Directory directory, Supplier<IndexWriterConfig> config, ScheduledExecutorService background,
      LogStoreOptions options, Runnable onFailure) throws IOException {
    this.directory = directory;
    this.onFailure = onFailure;
    this.config = () -> config.get().setMergeScheduler(new MergeScheduler());
    this.background = background;
    this.searchRefreshNanos = options.searchRefreshAge().toNanos();
    this.firstRetry = options.firstRetryDelay();
    this.maxRetry = options.maxRetryDelay();
    this.nextRetry = firstRetry;
    this.current = openGeneration();
    this.view = current.searchers;
  }

  Generation current() {
    return current;
  }

  /** Whether a write failed and the index has not been reopened since. */
  boolean failed() {
    return current.failed();
  }

  /** Why the last write failed, e.g. "No space left on device"; empty before any failure. */
  String failureReason() {
    return failureReason;
  }

  /**
   * Whether {@code e}, thrown by {@code g}'s writer, means the writer is unusable (an I/O error, or
   * the writer closed itself) rather than a line Lucene refused.
   */
  static boolean isWriterFailure(Generation g, Throwable e) {
    return e instanceof IOException || e instanceof AlreadyClosedException || !g.writer.isOpen()
        || g.writer.getTragicException() != null;
  }

  /**
   * Rolls back {@code g} (a no-op if it already failed or was replaced), serves searches from the
   * last commit and schedules a reopen. Logs the first failure of an episode as an error.
   */
  synchronized void fail(Generation g, Throwable cause) {
    if (g != current || g.failed || closed) return;
    Throwable tragic = g.writer.getTragicException();
    failureReason = reason(tragic != null ? tragic : cause);
    try {
      g.writer.rollback(); // waits for a running commit; the index on disk is the last commit
    } catch (IOException | RuntimeException e) {
      LOG.debug("rollback of the failed log index writer", e);
    }
    g.failed = true;
    onFailure.run();
    try {
      view = new SearcherManager(directory, null);
      closeQuietly(g.searchers);
    } catch (IndexNotFoundException e) {
      LOG.debug("no commit yet: searches keep the last view", e);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot open the last commit of the log index; searches keep the last view: {}", e.toString());
    }
    if (!failureLogged) {
      failureLogged = true;
      LOG.error("log index write failed ({}): rolled back to its last commit; new lines are dropped"
          + " and reported to their apps until it reopens", failureReason, cause);
    } else {
      LOG.debug("log index write failed again", cause);
    }
    scheduleRecovery();
  }

  private void scheduleRecovery() {
    long delay = nextRetry.toMillis();
    nextRetry = nextRetry.multipliedBy(2).compareTo(maxRetry) > 0 ? maxRetry : nextRetry.multipliedBy(2);
    try {
      background.schedule(this::recover, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("log store closing: no reopen", e);
    }
  }

  /** Opens a new generation on the last commit, applying app deletions made while failed. */
  synchronized void recover() {
    if (closed || !current.failed) return;
    Generation next = null;
    try {
      next = openGeneration();
      if (!pendingDeletes.isEmpty()) {
        for (String app : pendingDeletes) next.writer.deleteDocuments(SearchQueries.app(app));
        next.writer.commit();
        next.searchers.maybeRefreshBlocking();
      }
    } catch (IOException | RuntimeException e) {
      if (next != null) {
        closeQuietly(next.searchers);
        rollbackQuietly(next.writer);
      }
      LOG.debug("cannot reopen the log index yet", e);
      scheduleRecovery();
      return;
    }
    pendingDeletes.clear();
    SearcherManager old = view;
    current = next;
    view = next.searchers;
    closeQuietly(old);
    LOG.debug("log index reopened at its last commit");
  }

  /**
   * Commits the current generation if it changed; on failure, fails it.
   *
   * @return whether every change made to {@code g} before the call is durable
   */
  boolean commit(Generation g) {
    if (g.failed) return false;
    try {
      if (!g.writer.hasUncommittedChanges()) return true;
      g.writer.commit();
    } catch (IOException | RuntimeException e) {
      if (isWriterFailure(g, e)) fail(g, e);
      else LOG.warn("cannot commit log index", e);
      return false;
    }
    committed(); // a real write succeeded: the disk takes data again
    return true;
  }

  private synchronized void committed() {
    nextRetry = firstRetry;
    if (failureLogged) {
      failureLogged = false;
      LOG.info("log index writes again; lines are stored as before");
    }
  }

  /** Makes added lines searchable, unless a refresh runs; on a write failure, fails the generation. */
  void refresh() {
    Generation g = current;
    if (g.failed) return;
    try {
      g.searchers.maybeRefresh();
    } catch (IOException | RuntimeException e) {
      if (isWriterFailure(g, e)) fail(g, e);
      else LOG.warn("cannot refresh log searcher", e);
    }
  }

  /** Makes every line added so far searchable (waits for a running refresh). */
  void refreshBlocking() {
    Generation g = current;
    if (g.failed) return;
    try {
      g.searchers.maybeRefreshBlocking();
    } catch (IOException | RuntimeException e) {
      if (isWriterFailure(g, e)) fail(g, e);
      else throw new IllegalStateException("cannot refresh log searcher", e);
    }
  }

  /** Runs {@code work} on the freshest view: see {@link #refreshIfStale}. */
  <T> T search(SearchWork<T> work) throws IOException {
    refreshIfStale();
    while (true) {
      SearcherManager manager = view;
      IndexSearcher searcher;
      try {
        searcher = manager.acquire();
      } catch (AlreadyClosedException e) {
        if (manager != view) continue; // replaced by a failure or a reopen meanwhile
        throw e;
      }
      try {
        return work.apply(searcher);
      } finally {
        manager.release(searcher);
      }
    }
  }

  /**
   * Before a search, when the writer holds lines the view lacks and the view is older than {@code
   * searchRefreshAge} (so a heavy stream does not flush a segment per search): refreshes here if
   * little is buffered (a quick flush) and no refresh is running, so the search sees every line
   * written until now; otherwise asks the background thread to refresh and searches the current
   * view, which is at most about a second old, rather than wait for a big flush.
   */
  private void refreshIfStale() {
    if (System.nanoTime() - lastRefreshNanos < searchRefreshNanos) return;
    Generation g = current;
    if (g.failed) return;
    try {
      if (g.searchers.isSearcherCurrent()) return;
      if (g.writer.ramBytesUsed() <= SEARCH_REFRESH_MAX_BYTES) {
        g.searchers.maybeRefresh(); // returns at once if the background thread is refreshing
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
    } catch (IOException | RuntimeException e) {
      if (isWriterFailure(g, e)) fail(g, e); // and search the last commit
      else LOG.warn("cannot refresh log searcher", e);
    }
  }

  /**
   * Deletes every line of {@code app} durably (commits). While the index is failed, or if this
   * fails, the deletion is applied when it reopens.
   */
  synchronized void deleteApp(String app) {
    Generation g = current;
    if (!g.failed && !closed) {
      try {
        g.writer.deleteDocuments(SearchQueries.app(app));
        g.writer.commit();
        g.searchers.maybeRefreshBlocking();
        return;
      } catch (IOException | RuntimeException e) {
        if (!isWriterFailure(g, e)) throw new IllegalStateException("cannot delete logs of " + app, e);
        fail(g, e);
      }
    }
    pendingDeletes.add(app);
  }

  /**
   * The highest sequence number of each of {@code apps} in the last commit ({@link Long#MIN_VALUE}
   * for an app without committed lines); null if the commit cannot be read.
   */
  Map<String, Long> committedSequences(Set<String> apps) {
    Map<String, Long> max = new HashMap<>();
    Sort bySeq = new Sort(new SortField(LogDocument.SEQ, SortField.Type.LONG, true));
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      for (String app : apps) {
        TopFieldDocs top = searcher.search(new TermQuery(new Term(LogDocument.APP, app)), 1, bySeq, false);
        max.put(app, top.scoreDocs.length == 0 ? Long.MIN_VALUE : (Long) ((FieldDoc) top.scoreDocs[0]).fields[0]);
      }
    } catch (IndexNotFoundException e) {
      apps.forEach(app -> max.put(app, Long.MIN_VALUE)); // nothing committed yet
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read the last commit of the log index: {}", e.toString());
      return null;
    }
    return max;
  }

  /** Closes the writer (committing, unless failed) and the views. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) return;
    closed = true;
    Generation g = current;
    closeQuietly(view);
    if (view != g.searchers) closeQuietly(g.searchers);
    try {
      if (!g.failed) g.writer.close();
    } catch (IOException | RuntimeException e) {
      LOG.error("cannot commit the log index on close; lines since its last commit are lost: {}", reason(e));
      rollbackQuietly(g.writer);
    } finally {
      directory.close();
    }
  }

  private Generation openGeneration() throws IOException {
    IndexWriter writer = new IndexWriter(directory, config.get());
    try {
      SearcherManager searchers = new SearcherManager(writer, null);
      searchers.addListener(new ReferenceManager.RefreshListener() {
        @Override
        public void beforeRefresh() {}

        @Override
        public void afterRefresh(boolean didRefresh) {
          if (didRefresh) lastRefreshNanos = System.nanoTime();
        }
      });
      return new Generation(writer, searchers);
    } catch (IOException | RuntimeException e) {
      rollbackQuietly(writer);
      throw e;
    }
  }

  /** The innermost message of {@code e}: "No space left on device" rather than a wrapper's. */
  static String reason(Throwable e) {
    String reason = e.toString();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t instanceof FileSystemException fse ? fse.getReason() : t.getMessage();
      if (m != null && !m.isBlank()) reason = m;
    }
    return reason;
  }

  private static void closeQuietly(SearcherManager searchers) {
    try {
      searchers.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing a log searcher", e);
    }
  }

  private static void rollbackQuietly(IndexWriter writer) {
    try {
      writer.rollback();
    } catch (IOException | RuntimeException e) {
      LOG.debug("rollback of a log index writer", e);
    }
  }

  /**
   * Logs a failed merge (at most once a minute) instead of throwing it in the merge thread: a
   * merge that fails for lack of space is retried later, and the lines it merged are unaffected.
   */
  private final class MergeScheduler extends ConcurrentMergeScheduler {
    @Override
    protected void handleMergeException(Throwable exc) {
      long now = System.nanoTime();
      long last = lastMergeWarning.get();
      if ((last == 0 || now - last > TimeUnit.MINUTES.toNanos(1)) && lastMergeWarning.compareAndSet(last, now)) {
        LOG.warn("log index merge failed (retried later): {}", reason(exc));
      }
    }
  }
}
