package dev.pier.logstore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextQueryTest {
  private final LogAnalyzer analyzer = new LogAnalyzer();

  @Test
  void textSplitsIntoWordsAndQuotedPhrases() {
    assertThat(TextQuery.segments("  error \"TypeError: x\" web.1  ")).containsExactly("error", "TypeError: x", "web.1");
    assertThat(TextQuery.segments("a\"b c")).containsExactly("a", "b c");
    assertThat(TextQuery.segments("")).isEmpty();
  }

  @Test
  void wordsAreLowercasedTermsAndMultiWordSegmentsArePhrases() {
    assertThat(TextQuery.parse("TypeError:", analyzer)).extracting(Object::toString).containsExactly("text:typeerror");
    assertThat(TextQuery.parse("\"Cannot READ\" status=500", analyzer))
        .extracting(Object::toString)
        .containsExactly("text:\"cannot read\"", "text:\"status 500\"");
  }

  @Test
  void punctuationOnlyTextHasNoQuery() {
    assertThat(TextQuery.parse(" -- : \"\" ", analyzer)).isEmpty();
  }
}
