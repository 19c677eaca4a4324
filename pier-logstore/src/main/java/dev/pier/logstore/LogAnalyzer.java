package dev.pier.logstore;

import org.apache.lucene.analysis.Analyzer;

/**
 * The analyzer of the {@code text} field, for indexing and for queries alike: a {@link
 * LogTokenizer} alone (lowercased letter-and-digit words, no stop words, no stemming).
 */
final class LogAnalyzer extends Analyzer {
  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    return new TokenStreamComponents(new LogTokenizer());
  }
}
