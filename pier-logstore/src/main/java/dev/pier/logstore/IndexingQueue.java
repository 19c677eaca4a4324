package dev.pier.logstore;

import dev.pier.model.LogLine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue of lines and the one thread that drains it into the index's {@link IndexWriter}.
 *
 * <p>{@link #offer} never blocks: when the queue is full the line is counted as dropped for its
 * app. The thread drains up to 4096 entries at a time, adds the lines between barriers with one
 * {@link IndexWriter#addDocuments} call, reuses one document for every line and numbers the lines
 * it writes, in queue order, from {@code firstSequence}. {@link #awaitWritten} puts a barrier in the queue and waits
 * until the thread reaches it, so every line offered before is then in the writer (searchable
 * after the next refresh) or counted as not stored.
 *
 * <p>When the index fails (see {@link LogIndex}), the lines of the failed call, the lines added
 * since the last commit (which the rollback lost, see {@link UncommittedLines}) and the lines that
 * come while the index is failed are counted per app in {@code notStored}, except the store's own
 * reports ({@link LogStore#REPORT_PROCESS}), which would otherwise report themselves forever.
 */
final class IndexingQueue {
  private static final Logger LOG = LoggerFactory.getLogger(IndexingQueue.class);
  private static final int BATCH = 4096;
  private static final Object STOP = new Object();
  /** Wakes the thread so it settles the lines a failure lost without waiting for the next line. */
  private static final Object WAKE = new Object();

  private record Barrier(CountDownLatch reached) {
    void release() {
      reached.countDown();
    }
  }

  private final BlockingQueue<Object> queue;
  private final LogIndex index;
  private final DropCounter drops;
  private final DropCounter notStored;
  private final UncommittedLines uncommitted = new UncommittedLines();
  private final LogDocument document = new LogDocument();
  private final LogLine[] pending = new LogLine[BATCH];
  /**
   * The app of each line of the batch being added, filled as Lucene takes the documents (null for
   * the store's own reports); the document's shared UTF-8 forms, so no line is held.
   */
  private final BytesRef[] apps = new BytesRef[BATCH];
  private final Thread thread;
  private volatile boolean closing;
  private boolean failureLogged;
  private long sequence;
  /** The generation this thread last wrote to; its uncommitted lines are in {@link #uncommitted}. */
  private LogIndex.Generation wroteTo;

  IndexingQueue(String name, int capacity, LogIndex index, DropCounter drops, DropCounter notStored,
      long firstSequence) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.index = index;
    this.drops = drops;
    this.notStored = notStored;
    this.sequence = firstSequence;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Enqueues a line, or counts it dropped when the queue is full or closing. Never blocks. */
  void offer(LogLine line) {
    if (closing || !queue.offer(line)) drops.add(line.app());
  }

  /** Asks the thread to count what a failure lost now rather than at its next line. */
  void wake() {
    queue.offer(WAKE); // a full queue wakes it anyway
  }

  /** Lines waiting for the writer (an estimate while appends run). */
  int size() {
    return queue.size();
  }

  /** Batches added so far; the committer reads it just before a commit. */
  long written() {
    return uncommitted.written();
  }

  /** The first {@code batches} batches added to {@code generation} are durable. */
  void committed(LogIndex.Generation generation, long batches) {
    uncommitted.committed(generation, batches);
  }

  /** Waits until the writer has added (or counted as not stored) every line offered before this call. */
  void awaitWritten() throws InterruptedException {
    if (closing) throw new IllegalStateException("log store is closed");
    Barrier barrier = new Barrier(new CountDownLatch(1));
    queue.put(barrier);
    barrier.reached().await();
  }

  /** Writes what is queued, stops the writer thread and waits for it. */
  void close() throws InterruptedException {
    closing = true;
    queue.put(STOP);
    thread.join();
    // Lines offered while STOP was queued found no writer: count them, free any flush() waiting.
    List<Object> rest = new ArrayList<>();
    queue.drainTo(rest);
    for (Object o : rest) {
      if (o instanceof LogLine line) drops.add(line.app());
      else if (o instanceof Barrier b) b.release();
    }
  }

  private void run() {
    List<Object> batch = new ArrayList<>(BATCH);
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(batch, BATCH - 1);
      int lines = 0; // lines at the end of pending, not yet written
      for (Object o : batch) {
        if (o instanceof LogLine line) {
          pending[lines++] = line;
          continue;
        }
        write(lines); // a barrier or STOP comes after every line queued before it
        lines = 0;
        if (o instanceof Barrier b) b.release();
        else if (o == STOP) stop = true;
        else if (o == WAKE) generation();
      }
      write(lines);
      batch.clear();
    }
  }

  /**
   * The index's current generation, after counting the lines lost by a failure of the one this
   * thread wrote to last (a failed generation was rolled back before it reads as failed, so the
   * last commit no longer changes under the count).
   */
  private LogIndex.Generation generation() {
    LogIndex.Generation g = index.current();
    if (wroteTo != null && wroteTo.failed() && !uncommitted.isEmpty()) {
      uncommitted.settle(index::committedSequences).forEach(notStored::add);
    }
    wroteTo = g;
    return g;
  }

  /**
   * Adds {@code pending[0, n)} in one {@link IndexWriter#addDocuments} call, which takes the
   * writer's locks once for the batch and refills the one document as Lucene consumes it.
   */
  private void write(int n) {
    if (n == 0) return;
    LogIndex.Generation g = generation();
    if (g.failed()) {
      notStored(n);
    } else {
      long first = sequence;
      try {
        g.writer.addDocuments(new Batch(n, first));
        sequence += n;
        uncommitted.added(g, first, Arrays.copyOf(apps, n));
      } catch (Exception e) {
        if (LogIndex.isWriterFailure(g, e)) {
          // Lucene dropped the writer's buffered lines with this call: count them all.
          index.fail(g, e);
          generation();
          notStored(n);
        } else {
          // Lucene deleted the lines of the failed call that it had added: retry them one by one, so
          // a single unindexable line does not lose the batch.
          writeEach(g, n);
        }
      }
    }
    Arrays.fill(pending, 0, n, null);
  }

  private void writeEach(LogIndex.Generation g, int n) {
    long first = sequence;
    BytesRef[] added = new BytesRef[n];
    for (int i = 0; i < n; i++) {
      LogLine line = pending[i];
      try {
        g.writer.addDocument(document.fill(line, sequence++));
        added[i] = LogStore.isReport(line) ? null : document.app();
      } catch (Exception e) {
        if (LogIndex.isWriterFailure(g, e)) {
          uncommitted.added(g, first, added);
          index.fail(g, e);
          generation();
          for (int j = i; j < n; j++) countNotStored(pending[j]);
          return;
        }
        drops.add(line.app());
        if (!failureLogged) {
          failureLogged = true;
          LOG.error("cannot index log lines; they are counted as dropped", e);
        }
      }
    }
    uncommitted.added(g, first, added);
  }

  private void notStored(int n) {
    for (int i = 0; i < n; i++) countNotStored(pending[i]);
  }

  private void countNotStored(LogLine line) {
    if (!LogStore.isReport(line)) notStored.add(line.app());
  }

  /** {@code pending[0, n)} as documents; each is valid until the next one is asked for. */
  private final class Batch implements Iterable<Document>, Iterator<Document> {
    private final int n;
    private final long firstSequence;
    private int next;

    Batch(int n, long firstSequence) {
      this.n = n;
      this.firstSequence = firstSequence;
    }

    @Override
    public Iterator<Document> iterator() {
      return this;
    }

    @Override
    public boolean hasNext() {
      return next < n;
    }

    @Override
    public Document next() {
      if (next >= n) throw new NoSuchElementException();
      LogLine line = pending[next];
      Document d = document.fill(line, firstSequence + next);
      apps[next++] = LogStore.isReport(line) ? null : document.app(); // a lost report is not reported
      return d;
    }
  }
}
