package dev.pier.logstore;

import java.io.IOException;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Splits log text into lowercased words: maximal runs of letters and digits. Everything else
 * (spaces, punctuation, symbols) separates words, so {@code host=app-3.pier.local} gives {@code
 * host app 3 pier local} and {@code 127.0.0.1} gives {@code 127 0 0 1}. An ideograph (CJK) is a
 * word on its own, since those scripts do not separate words with spaces.
 *
 * <p>A run longer than {@link #MAX_WORD_LENGTH} characters (a base64 blob, a minified stack) is not
 * a word: it is skipped, and the position it would have taken stays empty so a phrase never
 * bridges it. Written for the writer thread's hot loop: ASCII goes through a lookup table, and
 * lowercasing is done while copying, with no token filter behind.
 */
final class LogTokenizer extends Tokenizer {
  /** Longer runs of letters and digits are not indexed (they stay in the stored line). */
  static final int MAX_WORD_LENGTH = 255;

  /** For each ASCII char: its lowercase form if it belongs to a word, else 0. */
  private static final char[] ASCII = new char[128];

  static {
    for (char c = '0'; c <= '9'; c++) ASCII[c] = c;
    for (char c = 'a'; c <= 'z'; c++) ASCII[c] = c;
    for (char c = 'A'; c <= 'Z'; c++) ASCII[c] = (char) (c + ('a' - 'A'));
  }

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
  private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
  private final char[] buffer = new char[4096];
  private int length; // chars in buffer
  private int index; // next char to look at in buffer
  private int consumed; // chars of the input before buffer[0]
  private boolean exhausted;
  private int finalOffset;

  @Override
  public boolean incrementToken() throws IOException {
    clearAttributes();
    int skipped = 0;
    while (true) {
      int start = -1;
      int len = 0;
      boolean tooLong = false;
      char[] out = term.buffer();
      while (true) {
        if (index >= length && !fill()) break;
        char c = buffer[index];
        char lower;
        if (c < 128) {
          lower = ASCII[c];
          if (lower == 0) {
            if (start >= 0) break;
            index++;
            continue;
          }
        } else if (Character.isIdeographic(c)) {
          if (start >= 0) break; // ends the current word; the ideograph is the next one
          start = consumed + index;
          index++;
          out[0] = c;
          len = 1;
          break;
        } else if (Character.isLetterOrDigit(c) || Character.isSurrogate(c)) {
          lower = Character.toLowerCase(c);
        } else {
          if (start >= 0) break;
          index++;
          continue;
        }
        if (start < 0) start = consumed + index;
        index++;
        if (len == MAX_WORD_LENGTH) {
          tooLong = true;
        } else {
          if (len == out.length) out = term.resizeBuffer(len + 1);
          out[len++] = lower;
        }
      }
      if (start < 0) return false;
      if (tooLong) {
        skipped++;
        continue;
      }
      term.setLength(len);
      increment.setPositionIncrement(1 + skipped);
      offset.setOffset(correctOffset(start), correctOffset(consumed + index));
      return true;
    }
  }

  /** Reads the next chunk of input; false at its end. */
  private boolean fill() throws IOException {
    if (exhausted) return false;
    consumed += length;
    index = 0;
    length = 0;
    int n = input.read(buffer, 0, buffer.length);
    if (n <= 0) {
      exhausted = true;
      return false;
    }
    length = n;
    return true;
  }

  @Override
  public void end() throws IOException {
    super.end();
    finalOffset = correctOffset(consumed + length);
    offset.setOffset(finalOffset, finalOffset);
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    length = 0;
    index = 0;
    consumed = 0;
    exhausted = false;
  }
}
