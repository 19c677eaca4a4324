package dev.pier.logstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The text of a {@link LogQuery} as a test on one line's text, with the same meaning as the
 * Lucene queries of {@link TextQuery}: every segment (a word, a run without spaces, or a quoted
 * phrase) must occur in the line as the same words at adjacent positions, compared as {@link
 * LogAnalyzer} words. Used for stores scanned rather than indexed ({@link RouterLineStore}).
 *
 * <p>A line is first checked cheaply: its lowercased text must contain every query word (a word of
 * the line is always a substring of it); only lines passing that are tokenized. Thread-safe.
 */
final class TextMatcher {
  /** Each segment's words with their relative positions. */
  private record Phrase(String[] words, int[] positions) {}

  private final Analyzer analyzer;
  private final List<Phrase> phrases;
  /** Whether every query word is ASCII, so the substring prefilter is exact about case. */
  private final boolean asciiOnly;

  private TextMatcher(Analyzer analyzer, List<Phrase> phrases, boolean asciiOnly) {
    this.analyzer = analyzer;
    this.phrases = phrases;
    this.asciiOnly = asciiOnly;
  }

  static TextMatcher of(String text, Analyzer analyzer) {
    List<Phrase> phrases = new ArrayList<>();
    boolean ascii = true;
    for (String segment : TextQuery.segments(text)) {
      List<String> words = new ArrayList<>();
      List<Integer> positions = new ArrayList<>();
      tokens(analyzer, segment, (word, position) -> {
        words.add(word);
        positions.add(position);
      });
      if (words.isEmpty()) continue;
      for (String w : words) ascii &= w.chars().allMatch(c -> c < 128);
      phrases.add(new Phrase(words.toArray(String[]::new), positions.stream().mapToInt(i -> i).toArray()));
    }
    return new TextMatcher(analyzer, phrases, ascii);
  }

  /** Whether any line matches: the text held no searchable word. */
  boolean matchesAll() {
    return phrases.isEmpty();
  }

  boolean matches(String line) {
    if (phrases.isEmpty()) return true;
    if (asciiOnly) {
      String lower = line.toLowerCase(Locale.ROOT);
      for (Phrase p : phrases) {
        for (String w : p.words) if (!lower.contains(w)) return false;
      }
    }
    List<String> words = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    tokens(analyzer, line, (word, position) -> {
      words.add(word);
      positions.add(position);
    });
    for (Phrase p : phrases) {
      if (!contains(words, positions, p)) return false;
    }
    return true;
  }

  private static boolean contains(List<String> words, List<Integer> positions, Phrase p) {
    for (int i = 0; i < words.size(); i++) {
      if (!words.get(i).equals(p.words[0])) continue;
      int base = positions.get(i) - p.positions[0];
      boolean all = true;
      int j = i;
      for (int k = 1; k < p.words.length && all; k++) {
        int want = base + p.positions[k];
        while (j < words.size() && positions.get(j) < want) j++;
        all = j < words.size() && positions.get(j) == want && words.get(j).equals(p.words[k]);
      }
      if (all) return true;
    }
    return false;
  }

  private interface WordSink {
    void word(String word, int position);
  }

  private static void tokens(Analyzer analyzer, String text, WordSink sink) {
    try (TokenStream tokens = analyzer.tokenStream(LogDocument.TEXT, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = tokens.addAttribute(PositionIncrementAttribute.class);
      tokens.reset();
      int position = -1;
      while (tokens.incrementToken()) {
        position += increment.getPositionIncrement();
        sink.word(term.toString(), position);
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot analyse text", e);
    }
  }
}
