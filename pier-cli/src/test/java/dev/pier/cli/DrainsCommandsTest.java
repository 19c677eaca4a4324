package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DrainsCommandsTest extends FakeApiTest {
  @Test
  void addSendsTheUrlAndDrainsListsIt() {
    var added = cli.run("drains:add", "syslog+tcp://logs.example:514", "-a", "hello");

    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(added.out()).isEqualTo("Successfully added drain syslog+tcp://logs.example:514\n");
    assertThat(api.requests).containsExactly("POST /apps/hello/drains");
    assertThat(api.lastBody.toString()).isEqualTo("{\"url\":\"syslog+tcp://logs.example:514\"}");

    cli.run("drains:add", "https://collector.example/pier?token=abc", "-a", "hello");
    app.drains.get(0).put("sent", 120).put("dropped", 3);
    var list = cli.run("drains", "-a", "hello");

    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).isEqualTo("""
        syslog+tcp://logs.example:514  (id 1, sent 120, dropped 3)
        https://collector.example/pier?token=abc  (id 2, sent 0, dropped 0)
        """);
  }

  @Test
  void drainsShowsFailuresAndTheLastError() {
    cli.run("drains:add", "http://down.example/", "-a", "hello");
    app.drains.get(0).put("failures", 4).put("last_error", "connection refused");

    var list = cli.run("drains", "-a", "hello");

    assertThat(list.out()).isEqualTo("""
        http://down.example/  (id 1, sent 0, dropped 0, failures 4)
            last error: connection refused
        """);
  }

  @Test
  void drainsWithoutAnySaysSo() {
    var list = cli.run("drains", "-a", "hello");

    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).isEqualTo("hello has no log drains.\n");
  }

  @Test
  void drainsAsJson() {
    cli.run("drains:add", "http://a.example/", "-a", "hello");

    var list = cli.run("drains", "--json", "-a", "hello");

    assertThat(Json.parseOrNull(list.out()).get(0).get("url").asText()).isEqualTo("http://a.example/");
  }

  @Test
  void addingAUrlTwiceShowsTheServersConflict() {
    cli.run("drains:add", "http://a.example/", "-a", "hello");

    var again = cli.run("drains:add", "http://a.example/", "-a", "hello");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo(" !     app 'hello' already drains to http://a.example/\n");
  }

  static Stream<Arguments> badUrls() {
    return Stream.of(
        Arguments.of("ftp://logs.example/", "use syslog+tcp://HOST:PORT, http://HOST/PATH or https://HOST/PATH"),
        Arguments.of("logs.example:514", "use syslog+tcp://HOST:PORT, http://HOST/PATH or https://HOST/PATH"),
        Arguments.of("syslog://logs.example:514", "use syslog+tcp://HOST:PORT, http://HOST/PATH or https://HOST/PATH"),
        Arguments.of("syslog+tcp://logs.example", "a syslog+tcp drain needs a port, such as syslog+tcp://logs.example:514"),
        Arguments.of("http:///path", "it has no host name"),
        Arguments.of("https://bad host/", "it is not a valid URL (Illegal character in authority)"),
        Arguments.of("", "it is empty"));
  }

  @ParameterizedTest
  @MethodSource("badUrls")
  void aBadUrlIsRefusedBeforeAnyRequest(String url, String why) {
    var result = cli.run("drains:add", url, "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo(" !     Invalid drain URL '" + url + "': " + why + "\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void removeByUrlLooksUpTheIdAndDeletesIt() {
    cli.run("drains:add", "http://a.example/", "-a", "hello");
    cli.run("drains:add", "syslog+tcp://b.example:514", "-a", "hello");
    api.requests.clear();

    var result = cli.run("drains:remove", "syslog+tcp://b.example:514", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Successfully removed drain syslog+tcp://b.example:514\n");
    assertThat(api.requests).containsExactly("GET /apps/hello/drains", "DELETE /apps/hello/drains/2");
    assertThat(cli.run("drains", "-a", "hello").out()).isEqualTo("http://a.example/  (id 1, sent 0, dropped 0)\n");
  }

  @Test
  void removeByIdDeletesWithoutLookingUp() {
    cli.run("drains:add", "http://a.example/", "-a", "hello");
    api.requests.clear();

    var result = cli.run("drains:remove", "1", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Successfully removed drain 1\n");
    assertThat(api.requests).containsExactly("DELETE /apps/hello/drains/1");
  }

  @Test
  void removingAnUnknownUrlFailsWithoutDeleting() {
    cli.run("drains:add", "http://a.example/", "-a", "hello");
    api.requests.clear();

    var result = cli.run("drains:remove", "http://b.example/", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     No drain http://b.example/ on hello\n");
    assertThat(api.requests).containsExactly("GET /apps/hello/drains");
  }

  @Test
  void removingAnUnknownIdShowsTheServersError() {
    var result = cli.run("drains:remove", "9", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     drain 9 of app 'hello' not found\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void removeWithoutATargetSendsNothing(String target) {
    var result = cli.run("drains:remove", target, "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     Give the drain's URL or id, as `pier drains` shows it\n");
    assertThat(api.requests).isEmpty();
  }
}
