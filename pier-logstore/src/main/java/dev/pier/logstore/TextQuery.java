package dev.pier.logstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Turns the text of a {@link LogQuery} into queries on the {@code text} field, all of which a line
 * must match.
 *
 * <p>The text is split into segments: a {@code "quoted phrase"} (an unclosed quote runs to the end)
 * or a run of characters without whitespace. Each segment goes through the same analyzer as the
 * indexed text: one token gives a term query, several give a phrase query (so {@code status=500}
 * and {@code "TypeError: x"} both need their words adjacent and in order), none (punctuation only)
 * gives nothing. There is no other syntax: {@code -}, {@code *}, {@code AND}, {@code OR} are words.
 */
final class TextQuery {
  private TextQuery() {}

  /** The queries a line's text must all match; empty when the text holds no searchable word. */
  static List<Query> parse(String text, Analyzer analyzer) {
    List<Query> queries = new ArrayList<>();
    for (String segment : segments(text)) {
      Query q = analyse(segment, analyzer);
      if (q != null) queries.add(q);
    }
    return queries;
  }

  static List<String> segments(String text) {
    List<String> segments = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        int end = text.indexOf('"', i + 1);
        if (end < 0) end = n;
        segments.add(text.substring(i + 1, end));
        i = end + 1;
      } else {
        int start = i;
        while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '"') i++;
        segments.add(text.substring(start, i));
      }
    }
    return segments;
  }

  private static Query analyse(String segment, Analyzer analyzer) {
    PhraseQuery.Builder phrase = new PhraseQuery.Builder();
    Term first = null;
    int count = 0;
    try (TokenStream tokens = analyzer.tokenStream(LogDocument.TEXT, segment)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = tokens.addAttribute(PositionIncrementAttribute.class);
      tokens.reset();
      int position = -1;
      while (tokens.incrementToken()) {
        position += increment.getPositionIncrement();
        Term t = new Term(LogDocument.TEXT, term.toString());
        if (first == null) first = t;
        phrase.add(t, position);
        count++;
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot analyse search text", e);
    }
    if (count == 0) return null;
    return count == 1 ? new TermQuery(first) : phrase.build();
  }
}
