package dev.pier.logstore;

import dev.pier.model.LogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import org.apache.lucene.index.IndexWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue of lines and the one thread that drains it into the {@link IndexWriter}.
 *
 * <p>{@link #offer} never blocks: when the queue is full the line is counted as dropped for its
 * app. The thread reuses one document for every line and numbers the lines it writes, in queue
 * order, from {@code firstSequence}. {@link #awaitWritten} puts a barrier in the queue and waits
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
      for (Object o : batch) {
        if (o instanceof LogLine line) write(line);
        else if (o instanceof Barrier b) b.release();
        else if (o == STOP) stop = true;
      }
      batch.clear();
    }
  }

  private void write(LogLine line) {
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
}
