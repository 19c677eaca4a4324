package dev.pier.drains;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyslogFramesTest {
  private static final Instant T = Instant.parse("2026-11-27T05:31:00.123456Z");

  @Test
  void appLineIsAnOctetCountedRfc5424MessageWithLocal7Info() {
    LogLine line = new LogLine(T, "hello", "app", "web.1", "listening on 5000");

    String frame = new String(SyslogFrames.frame(line), StandardCharsets.UTF_8);

    assertThat(frame).isEqualTo(
        "73 <190>1 2026-11-27T05:31:00.123456Z pier hello web.1 - - listening on 5000");
  }

  @Test
  void routerAndPlatformLinesGetTheirOwnFacility() {
    LogLine router = new LogLine(T, "hello", "pier", "router", "at=info method=GET path=/");
    LogLine build = new LogLine(T, "hello", "pier", "build", "-----> Building");

    assertThat(SyslogFrames.message(router)).startsWith("<158>1 ");
    assertThat(SyslogFrames.message(build)).startsWith("<134>1 ").contains(" pier hello build - - ");
  }

  @Test
  void lengthCountsUtf8BytesNotCharacters() throws Exception {
    LogLine line = new LogLine(T, "hello", "app", "web.1", "héllo ✓ wörld");

    byte[] frame = SyslogFrames.frame(line);

    assertThat(OctetFrames.all(frame)).containsExactly(SyslogFrames.message(line));
  }

  @Test
  void headerFieldsWithSpacesOrControlCharactersAreSanitised() {
    LogLine line = new LogLine(T, "hello", "app", "web 1\n", "text with  spaces");

    assertThat(SyslogFrames.message(line)).contains(" pier hello web_1_ - - text with  spaces");
  }

  @Test
  void framesOfABatchAreBackToBack() throws Exception {
    List<LogLine> lines = List.of(
        new LogLine(T, "hello", "app", "web.1", "one"),
        new LogLine(T, "hello", "app", "web.2", "two"));

    assertThat(OctetFrames.all(SyslogFrames.frames(lines)))
        .extracting(m -> m.substring(m.lastIndexOf(' ') + 1))
        .containsExactly("one", "two");
  }
}
