/**
 * Pier's durable log store: every app's log lines in one Lucene index, searchable in near real
 * time, deleted after a per-app retention. The entry point is {@link dev.pier.logstore.LogStore};
 * searches are described by {@link dev.pier.logstore.LogQuery}.
 *
 * <h2>Flow</h2>
 *
 * <pre>
 *  append(line) ──► queue[hash(app) % W] (bounded; full ⇒ line dropped, counted per app)
 *                        │ one writer thread per queue (W = 1): batches of up to 4096 lines,
 *                        │ one addDocuments call each, one reused Document
 *                        ▼
 *                   IndexWriter (64 MB RAM buffer) ──commit every 5 s and on close──► disk (durable)
 *                        │
 *                        ├─ SearcherManager.maybeRefresh every 1 s (background) ──► search(), recent()
 *                        └─ and on a search whose view is stale and over 200 ms old
 * </pre>
 *
 * <h2>Router access lines</h2>
 *
 * The router's {@code pier[router]} lines (one per request) do not go to the index: {@link
 * dev.pier.logstore.RouterLineStore} appends them, on the calling thread, as compact records to
 * LZ4-compressed, checksummed blocks in per-app segment files under {@code DIR/router}, each block
 * with a Bloom filter of its words; searches merge the index's hits with a newest-first scan of
 * those segments ({@link dev.pier.logstore.TextMatcher} keeps the index's text semantics). Synced
 * at every commit; retention deletes whole segments; a torn tail costs only unsynced lines.
 *
 * <h2>Index layout</h2>
 *
 * One index under {@code DIR/index} holds all apps; every query filters on the app, so one app's
 * lines never appear in another's results, and thousands of small apps cost no more files than
 * one big app. Per line: {@code app}, {@code kind} (app|router|platform) and {@code process}
 * (e.g. {@code web.1}) as keywords; {@code text} analysed by {@code LogAnalyzer} (lowercased runs
 * of letters and digits, each ideograph a word, runs over 255 chars not indexed; with positions for
 * phrases, no norms since nothing is scored) and stored as UTF-8 bytes (field {@code line});
 * {@code source} stored; {@code time} in epoch nanoseconds as a point (range
 * filters, retention) and a doc value (sorting); {@code seq}, a doc value numbering an app's lines
 * in append order, breaks ties between equal times. Hits are sorted by time descending with the
 * doc values, so Lucene skips non-competitive documents and a search reads only the stored fields
 * of the lines it returns: a term query over 1,000,000 lines takes milliseconds. Adjacent segments
 * only are merged ({@code LogByteSizeMergePolicy}, segments under 8 MB counted as one level), so
 * segments stay stretches of time; no compound files (they would copy every segment once more).
 * Stored fields use Lucene's default {@code BEST_SPEED} (LZ4) compression.
 *
 * <h2>Ingestion</h2>
 *
 * {@code append} never blocks and never touches Lucene: it offers the line to a bounded queue
 * (100,000 lines in total), picked by the app so an app's lines stay in order. When the queue is
 * full, the line is dropped and counted; {@code takeDropped()} reports the counts (the server can
 * log Heroku's {@code Error L10 (output buffer overflow)}). One writer thread ({@code W = 1}; more
 * are possible but cost more in merging than they gain on 2 cores) drains the queue in batches
 * and adds the lines between barriers with one {@code addDocuments} call; if Lucene rejects the
 * call (a non-aborting error such as an over-long keyword), it has discarded the batch, and the
 * lines are added one by one so only the bad line is dropped and counted. Lines are never
 * committed one by one.
 *
 * <p>Cost, measured with {@code LogStoreBench} on the 2-core machine: about 3.5-4 CPU-seconds per
 * 1,000,000 lines in the writer thread and 4.5-6 in the whole store (flushes, merges, GC), for
 * 200,000-250,000 lines/s when the machine is not saturated by other work. Most of the writer's
 * time is Lucene's term hashing, roughly proportional to the words per line.
 *
 * <h2>Near-real-time search</h2>
 *
 * A refresh makes the lines the writer has added searchable without a commit; each one flushes a
 * segment, so refreshes are kept few: a background thread refreshes every second, and a search
 * whose view lacks added lines and is over 200 ms old refreshes first, itself when little is
 * buffered (a flush of some milliseconds), else by asking the background thread without waiting.
 * So a line is searchable within about a second of its append, usually sooner, and a search is
 * never held up by a big flush. {@code flush()} waits for the writers to reach a barrier behind
 * every earlier line and then refreshes, for tests and tools.
 *
 * <h2>Retention</h2>
 *
 * Each app's retention (default 7 days) lives in {@code DIR/retention.properties}, rewritten
 * atomically on change. {@code purgeExpired()}, which the server calls periodically, deletes for
 * each app in the index the lines with {@code time < now - retention}, using a delete-by-query;
 * the space returns as segments merge. Time comes from the injected {@code InstantSource}.
 *
 * <h2>Durability</h2>
 *
 * The index is committed every 5 seconds when it changed, and on {@code close()}, which first
 * writes every queued line. After {@code close()} and reopen, every line is there. If the process
 * is killed or the machine fails without {@code close()}, the store reopens at its last commit:
 * lines appended in the last ~5 seconds (and still queued) are lost, older lines are intact, and a
 * purge done since that commit is redone by the next purge ({@code deleteApp} commits at once).
 * Lucene's commit is atomic and fsyncs its files, so no crash leaves a torn index. Refreshes
 * (searchability) and batches change none of this: a commit covers every line added before it,
 * whether or not a refresh has shown it yet. {@code close()} also waits for running merges, which
 * can take a few seconds after a heavy stream.
 *
 * <h2>Write failures (a full disk)</h2>
 *
 * Lucene closes its writer on an I/O error while indexing or flushing (a "tragic" error), losing
 * what it buffered. {@code LogIndex} treats any {@code IOException} of a write, refresh or commit
 * that way: it rolls the writer back (the index on disk stays at its last commit, which Lucene
 * never damages), serves searches from that commit, and reopens a writer on it after 1 s, 2 s, 4 s
 * ... (at most 30 s apart), without a restart; the server log gets one error per episode and one
 * line when a commit succeeds again. Nothing is lost silently: the writer thread counts, per app,
 * the lines of the failed call, those it gets while the index is failed, and those the rollback
 * lost. For the last, {@code UncommittedLines} keeps the app (the writer's shared UTF-8 form, one
 * reference per line, copied per batch) and sequence number of each line added since the last
 * commit; after a failure it compares them with each app's highest sequence number in the last
 * commit. A listener hears the counts about once a second per app; the server turns them into
 * {@code pier[logstore]: Error L11 (disk full): N lines not stored: No space left on device}, and
 * those report lines are not counted when they cannot be stored either. App deletions made while
 * failed are applied on reopen. The happy path costs one reference store per line and a few field
 * writes per batch (no change measurable with {@code LogStoreBench}).
 *
 * <p>Files are owner-only: the directories 0700, every file Lucene creates 0600 (it uses the
 * process umask, so a {@code FilterDirectory} narrows each new file: a dozen per flushed segment).
 *
 * <p>The analyzer and the stored form of {@code text} are part of the index format: an index
 * written with a different analyzer (the {@code StandardAnalyzer} of earlier builds) would miss
 * words. No store predates this change; a later change of either needs a reindex.
 *
 * <h2>Memory</h2>
 *
 * Bounded whatever the number of stored lines: the queues (at most 100,000 lines), the writer's
 * RAM buffer (64 MB) and Lucene's per-segment metadata; lines themselves live only on disk (memory
 * mapped, so the page cache keeps hot segments).
 */
package dev.pier.logstore;
