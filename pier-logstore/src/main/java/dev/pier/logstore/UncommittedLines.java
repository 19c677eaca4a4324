package dev.pier.logstore;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.lucene.util.BytesRef;

/**
 * Which app each line belongs to, for the lines one writer thread added since the index's last
 * commit: when a failed write rolls the index back to that commit, {@link #settle} tells how many
 * lines of each app were lost with the rollback, so none is lost silently.
 *
 * <p>Owned by the writer thread, except {@link #written} and {@link #committed}, which the commit
 * thread calls around a commit. Costs the writer one array copy of app references per batch;
 * holds the apps of at most the lines of one commit interval plus a commit (5 s at 200,000 lines/s
 * is 1,000,000 references, 4 MB).
 */
final class UncommittedLines {
  /** Lines {@code firstSequence + i} for {@code i < apps.length}; a null app was not added. */
  private record Batch(LogIndex.Generation generation, long number, long firstSequence, BytesRef[] apps) {}

  /** The batches of {@code generation} numbered below {@code batches} are durable. */
  private record Mark(LogIndex.Generation generation, long batches) {}

  private final ArrayDeque<Batch> batches = new ArrayDeque<>();
  private volatile long written;
  private volatile Mark committed = new Mark(null, 0);

  /**
   * Records lines added to {@code generation} in one call: {@code apps[i]} is the app (UTF-8) of
   * the line numbered {@code firstSequence + i}, null if that line was refused. Takes ownership of
   * {@code apps}.
   */
  void added(LogIndex.Generation generation, long firstSequence, BytesRef[] apps) {
    trim();
    long n = written;
    batches.addLast(new Batch(generation, n, firstSequence, apps));
    written = n + 1;
  }

  /** The number of batches added so far; the committer reads it just before a commit. */
  long written() {
    return written;
  }

  /** Called after a commit of {@code generation}: the first {@code batches} batches are durable. */
  void committed(LogIndex.Generation generation, long batches) {
    committed = new Mark(generation, batches);
  }

  boolean isEmpty() {
    trim();
    return batches.isEmpty();
  }

  /**
   * Lines lost per app, and forgets every batch: a line is lost when its sequence number is above
   * the highest one of its app in the last commit, as {@code committedSequences} reports them (null:
   * the commit could not be read, so every line counts as lost).
   */
  Map<String, Long> settle(Function<Set<String>, Map<String, Long>> committedSequences) {
    trim();
    Map<BytesRef, String> names = new HashMap<>();
    for (Batch b : batches) {
      for (BytesRef app : b.apps()) {
        if (app != null) names.computeIfAbsent(app, BytesRef::utf8ToString);
      }
    }
    Map<String, Long> max = names.isEmpty() ? Map.of() : committedSequences.apply(new HashSet<>(names.values()));
    Map<String, Long> lost = new HashMap<>();
    for (Batch b : batches) {
      BytesRef[] a = b.apps();
      for (int i = 0; i < a.length; i++) {
        if (a[i] == null) continue;
        String app = names.get(a[i]);
        Long highest = max == null ? null : max.get(app);
        if (highest == null || b.firstSequence() + i > highest) lost.merge(app, 1L, Long::sum);
      }
    }
    batches.clear();
    return lost;
  }

  private void trim() {
    Mark m = committed;
    while (!batches.isEmpty()
        && batches.peekFirst().generation() == m.generation()
        && batches.peekFirst().number() < m.batches()) {
      batches.pollFirst();
    }
  }
}
