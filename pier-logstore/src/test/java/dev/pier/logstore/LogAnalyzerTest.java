package dev.pier.logstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.junit.jupiter.api.Test;

class LogAnalyzerTest {
  private final Analyzer analyzer = new LogAnalyzer();

  /** Each token as "term@position[start,end)". */
  private List<String> tokens(String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(LogDocument.TEXT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      int position = -1;
      while (ts.incrementToken()) {
        position += inc.getPositionIncrement();
        out.add(term + "@" + position + "[" + offset.startOffset() + "," + offset.endOffset() + ")");
      }
      ts.end();
    }
    return out;
  }

  private List<String> words(String text) throws IOException {
    return tokens(text).stream().map(t -> t.substring(0, t.indexOf('@'))).toList();
  }

  @Test
  void lettersAndDigitsFormLowercasedWordsAndEverythingElseSeparates() throws IOException {
    assertThat(tokens("GET /api?id=42")).containsExactly("get@0[0,3)", "api@1[5,8)", "id@2[9,11)", "42@3[12,14)");
    assertThat(words("host=app-3.pier.local fwd=\"127.0.0.1\" request_id=9E3779B9"))
        .containsExactly("host", "app", "3", "pier", "local", "fwd", "127", "0", "0", "1", "request", "id", "9e3779b9");
    assertThat(words(" -- : \"\" ")).isEmpty();
  }

  @Test
  void nonAsciiLettersAreLowercasedAndIdeographsAreWordsOfTheirOwn() throws IOException {
    assertThat(words("Échec: ÜBER straße")).containsExactly("échec", "über", "straße");
    assertThat(words("错误x日志")).containsExactly("错", "误", "x", "日", "志");
  }

  @Test
  void overlongRunIsSkippedButKeepsItsPosition() throws IOException {
    String blob = "A".repeat(LogTokenizer.MAX_WORD_LENGTH + 1);
    String longest = "b".repeat(LogTokenizer.MAX_WORD_LENGTH);
    assertThat(tokens("before " + blob + " after")).containsExactly("before@0[0,6)", "after@2[264,269)");
    assertThat(words(longest)).containsExactly(longest);
  }

  @Test
  void wordsSpanningTheTokenizerBufferAreWhole() throws IOException {
    String text = "x ".repeat(2046) + "AbcdefghiJ"; // the word starts 4 chars before 4096
    assertThat(tokens(text)).hasSize(2047).last().isEqualTo("abcdefghij@2046[4092,4102)");
    assertThat(words("w".repeat(4094) + "z")).isEmpty(); // one run of 4095 chars: too long
  }
}
