/**
 * Pier's durable log store: every app's log lines in one Lucene index, searchable in near real
 * time, deleted after a per-app retention. The entry point is {@link dev.pier.logstore.LogStore};
 * searches are described by {@link dev.pier.logstore.LogQuery}.
 *
 * <h2>Flow</h2>
 *
 * <pre>
 *  append(line) ──► queue[hash(app) % W] (bounded; full ⇒ line dropped, counted per app)
 *                        │ one writer thread per queue (W = 1), one reused Document
 *                        ▼
 *                   IndexWriter (64 MB RAM buffer) ──commit every 5 s and on close──► disk (durable)
 *                        │
 *                        └─ SearcherManager.maybeRefresh every 200 ms ──► search(), recent()
 * </pre>
 *
 * <h2>Index layout</h2>
 *
 * One index under {@code DIR/index} holds all apps; every query filters on the app, so one app's
 * lines never appear in another's results, and thousands of small apps cost no more files than
 * one big app. Per line: {@code app}, {@code kind} (app|router|platform) and {@code process}
 * (e.g. {@code web.1}) as keywords; {@code text} analysed by a {@code StandardAnalyzer} without
 * stop words (lowercased Unicode words, with positions for phrases, no norms since nothing is
 * scored) and stored; {@code source} stored; {@code time} in epoch nanoseconds as a point (range
 * filters, retention) and a doc value (sorting); {@code seq}, a doc value numbering an app's lines
 * in append order, breaks ties between equal times. Hits are sorted by time descending with the
 * doc values, so Lucene skips non-competitive documents and a search reads only the stored fields
 * of the lines it returns: a term query over 1,000,000 lines takes milliseconds. Adjacent segments
 * only are merged ({@code LogByteSizeMergePolicy}), so segments stay stretches of time.
 *
 * <h2>Ingestion</h2>
 *
 * {@code append} never blocks and never touches Lucene: it offers the line to a bounded queue
 * (100,000 lines in total), picked by the app so an app's lines stay in order. When the queue is
 * full, the line is dropped and counted; {@code takeDropped()} reports the counts (the server can
 * log Heroku's {@code Error L10 (output buffer overflow)}). One writer thread ({@code W = 1}; more
 * are possible but cost more in merging than they gain on 2 cores) drains the queue in batches;
 * lines are never committed one by one.
 *
 * <h2>Near-real-time search</h2>
 *
 * A background thread calls {@code SearcherManager.maybeRefresh()} every 200 ms; a refresh makes
 * the lines the writers have added searchable without a commit. {@code flush()} waits for the
 * writers to reach a barrier behind every earlier line and then refreshes, for tests and tools.
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
 * purge done since that commit is redone by the next purge ({@code deleteApp} commits at once). Lucene's commit is atomic and fsyncs its files, so no crash leaves a torn index.
 *
 * <h2>Memory</h2>
 *
 * Bounded whatever the number of stored lines: the queues (at most 100,000 lines), the writer's
 * RAM buffer (64 MB) and Lucene's per-segment metadata; lines themselves live only on disk (memory
 * mapped, so the page cache keeps hot segments).
 */
package dev.pier.logstore;
