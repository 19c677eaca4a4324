package dev.pier.logstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The {@link RouterSegments#wordHash hashes} of every query word, for skipping blocks whose word
   * filter lacks one; null when that cannot be used (no word, or a word that is not ASCII).
   */
  long[] wordHashes() {
    if (phrases.isEmpty() || !asciiOnly) return null;
    return phrases.stream().flatMap(p -> java.util.Arrays.stream(p.words))
        .mapToLong(RouterSegments::wordHash).toArray();
  }

  /** Whether any line matches: the text held no searchable word. */
  boolean matchesAll() {
    return phrases.isEmpty();
  }

  /**
   * Whether some line in {@code raw[0, length)} (UTF-8 records) may match: false only when a query
   * word is in none of its bytes (ASCII case ignored), so the records need not be decoded.
   */
  boolean mayMatch(byte[] raw, int length) {
    if (phrases.isEmpty() || !asciiOnly) return true;
    for (Phrase p : phrases) {
      for (String w : p.words) if (indexOfIgnoreCase(raw, length, w) < 0) return false;
    }
    return true;
  }

  /** Where the lowercase ASCII {@code word} starts in {@code raw[0, length)}, ASCII case ignored; or -1. */
  static int indexOfIgnoreCase(byte[] raw, int length, String word) {
    int n = word.length();
    if (n == 0) return 0;
    byte first = (byte) word.charAt(0);
    byte firstUpper = (byte) Character.toUpperCase(word.charAt(0));
    outer:
    for (int i = 0, last = length - n; i <= last; i++) {
      byte b = raw[i];
      if (b != first && b != firstUpper) continue;
      for (int k = 1; k < n; k++) {
        int c = raw[i + k];
        if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
        if (c != word.charAt(k)) continue outer;
      }
      return i;
    }
    return -1;
  }

  boolean matches(String line) {
    if (phrases.isEmpty()) return true;
    if (asciiOnly) {
      for (Phrase p : phrases) {
        for (String w : p.words) if (!containsIgnoreCase(line, w)) return false;
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

  private static boolean containsIgnoreCase(String line, String lowerWord) {
    int n = lowerWord.length();
    char first = lowerWord.charAt(0);
    char firstUpper = Character.toUpperCase(first);
    for (int i = 0, last = line.length() - n; i <= last; i++) {
      char c = line.charAt(i);
      if ((c == first || c == firstUpper) && line.regionMatches(true, i, lowerWord, 0, n)) return true;
    }
    return false;
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
