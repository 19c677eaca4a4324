package dev.pier.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProcfileTest {

  @Test
  void typesAreReturnedInFileOrderIgnoringCommentsAndBlankLines() throws BuildFailure {
    String text = "# processes\n\nweb: node server.js --port $PORT\r\n  worker:   node worker.js  \n"
        + "release: sh -c 'echo a: b'\n";

    Map<String, String> types = Procfile.parse(text);

    assertThat(types)
        .containsExactly(
            Map.entry("web", "node server.js --port $PORT"),
            Map.entry("worker", "node worker.js"),
            Map.entry("release", "sh -c 'echo a: b'"));
  }

  @Test
  void emptyProcfileDeclaresNoTypes() throws BuildFailure {
    assertThat(Procfile.parse("\n# nothing yet\n")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock = """
          missing colon        | web: npm start\\nworker node w.js     | Procfile line 2: expected 'type: command'
          nothing before colon | : npm start                          | Procfile line 1: expected 'type: command'
          uppercase type       | # c\\n\\nWeb: npm start               | Procfile line 3: invalid process type 'Web'
          empty command        | web:   \\nworker: x                   | Procfile line 1: empty command for process type 'web'
          duplicate type       | web: a\\nworker: b\\nweb: c            | Procfile line 3: duplicate process type 'web' (first declared on line 1)
          """)
  void badLinesAreRejectedNamingTheLine(String name, String text, String message) {
    assertThatThrownBy(() -> Procfile.parse(text.replace("\\n", "\n")))
        .isInstanceOf(BuildFailure.class)
        .hasMessageStartingWith(message);
  }
}
