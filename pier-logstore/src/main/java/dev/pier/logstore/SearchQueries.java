package dev.pier.logstore;

import java.time.Instant;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;

/**
 * Builds the Lucene queries of the store. Every clause is a filter: hits are ordered by time, never
 * by relevance, so no scores are computed.
 */
final class SearchQueries {
  /**
   * Newest first: time descending, then append sequence descending (doc ids are not in append
   * order once several writer threads fill separate segments).
   */
  static final Sort NEWEST_FIRST =
      new Sort(
          new SortField(LogDocument.TIME, SortField.Type.LONG, true),
          new SortField(LogDocument.SEQ, SortField.Type.LONG, true));

  private SearchQueries() {}

  /** The query of a search: the app always, then each filter given. */
  static Query of(LogQuery query, Analyzer analyzer) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(app(query.app()), Occur.FILTER);
    if (query.kind() != null) b.add(new TermQuery(new Term(LogDocument.KIND, query.kind())), Occur.FILTER);
    if (query.instance() != null) {
      b.add(instance(query.instance()), Occur.FILTER);
    }
    if (query.since() != null) {
      b.add(
          LongPoint.newRangeQuery(LogDocument.TIME, LogDocument.nanos(query.since()), Long.MAX_VALUE),
          Occur.FILTER);
    }
    for (Query text : TextQuery.parse(query.text(), analyzer)) b.add(text, Occur.FILTER);
    return b.build();
  }

  static Query app(String app) {
    return new TermQuery(new Term(LogDocument.APP, app));
  }

  /** The lines of {@code app} strictly older than {@code cutoff}. */
  static Query olderThan(String app, Instant cutoff) {
    long nanos = LogDocument.nanos(cutoff);
    if (nanos == Long.MIN_VALUE) nanos = Long.MIN_VALUE + 1;
    return new BooleanQuery.Builder()
        .add(app(app), Occur.FILTER)
        .add(LongPoint.newRangeQuery(LogDocument.TIME, Long.MIN_VALUE, nanos - 1), Occur.FILTER)
        .build();
  }

  /**
   * An instance ({@code web.1}) matches exactly; a process type ({@code web}, no dot) matches the
   * lines of every instance of that type ({@code web.1}, {@code web.2}, and {@code pier[web]}).
   */
  private static Query instance(String instance) {
    Term exact = new Term(LogDocument.PROCESS, instance);
    if (instance.indexOf('.') >= 0) return new TermQuery(exact);
    return new BooleanQuery.Builder()
        .add(new TermQuery(exact), Occur.SHOULD)
        .add(new org.apache.lucene.search.PrefixQuery(new Term(LogDocument.PROCESS, instance + ".")), Occur.SHOULD)
        .build();
  }
}
