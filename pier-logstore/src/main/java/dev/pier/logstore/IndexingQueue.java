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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue of lines and the one thread that drains it into the {@link IndexWriter}.
 *
 * <p>{@link #offer} never blocks: when the queue is full the line is counted as dropped for its
 * app. The thread drains up to 4096 entries at a time, adds the lines between barriers with one
 * {@link IndexWriter#addDocuments} call, reuses one document for every line and numbers the lines
 * it writes, in queue order, from {@code firstSequence}. {@link #awaitWritten} puts a barrier in the queue and waits
 * until the thread reaches it, so every line offered before is then in the writer (searchable
 * after the next refresh).
 */
final class IndexingQueue {
  private static final Logger LOG = LoggerFactory.getLogger(IndexingQueue.class);
  private static final int BATCH = 4096;
  private static final Object STOP = new Object();

  private record Barrier(CountDownLatch reached) {
    void release() {
      reached.countDown();
    }
  }

  private final BlockingQueue<Object> queue;
  private final IndexWriter writer;
  private final DropCounter drops;
  private final LogDocument document = new LogDocument();
  private final LogLine[] pending = new LogLine[BATCH];
  private final Thread thread;
  private volatile boolean closing;
  private boolean failureLogged;
  private long sequence;

  IndexingQueue(String name, int capacity, IndexWriter writer, DropCounter drops, long firstSequence) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = writer;
    this.drops = drops;
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

  /** Lines waiting for the writer (an estimate while appends run). */
  int size() {
    return queue.size();
  }

  /** Waits until the writer has added every line offered before this call. */
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
      }
      write(lines);
      batch.clear();
    }
  }

  /**
   * Adds {@code pending[0, n)} in one {@link IndexWriter#addDocuments} call, which takes the
   * writer's locks once for the batch and refills the one document as Lucene consumes it.
   */
  private void write(int n) {
    if (n == 0) return;
    try {
      writer.addDocuments(new Batch(n, sequence));
      sequence += n;
    } catch (Exception e) {
      // Lucene deleted the lines of the failed call that it had added: retry them one by one, so
      // a single unindexable line does not lose the batch.
      for (int i = 0; i < n; i++) writeOne(pending[i]);
    }
    Arrays.fill(pending, 0, n, null);
  }

  private void writeOne(LogLine line) {
    try {
      writer.addDocument(document.fill(line, sequence++));
    } catch (Exception e) { // IOException, or AlreadyClosedException after a tragic writer failure
      drops.add(line.app());
      if (!failureLogged) {
        failureLogged = true;
        LOG.error("cannot index log lines; they are counted as dropped", e);
      }
    }
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
      return document.fill(line, firstSequence + next++);
    }
  }
}
