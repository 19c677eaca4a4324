package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogSearchCommandTest extends FakeApiTest {
  @BeforeEach
  void start() {
    api.storedLogs = List.of(
        FakePierApi.logEntry("2026-11-27T05:31:00.000001Z", "app", "web.1", "connection refused by db"),
        FakePierApi.logEntry("2026-11-27T05:31:01.000001Z", "router", "router", "GET /users 500 30ms"),
        FakePierApi.logEntry("2026-11-27T05:31:02.000001Z", "app", "web.2", "db: refused connection"),
        FakePierApi.logEntry("2026-11-27T05:31:03.000001Z", "app", "web.1", "Connection Refused again by db"));
  }

  @Test
  void searchPrintsTheMatchingLinesNewestFirst() {
    var result = cli.run("logs:search", "refused", "db", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        2026-11-27T05:31:03.000001Z app[web.1]: Connection Refused again by db
        2026-11-27T05:31:02.000001Z app[web.2]: db: refused connection
        2026-11-27T05:31:00.000001Z app[web.1]: connection refused by db
        """);
    assertThat(result.err()).isEmpty();
    assertThat(api.requests).containsExactly("GET /apps/hello/logs/search?q=refused%20db&limit=100");
  }

  @Test
  void aQuotedArgumentWithSpacesIsSentAsAPhrase() {
    var result = cli.run("logs:search", "connection refused", "-a", "hello");

    assertThat(result.out()).isEqualTo("""
        2026-11-27T05:31:03.000001Z app[web.1]: Connection Refused again by db
        2026-11-27T05:31:00.000001Z app[web.1]: connection refused by db
        """);
    assertThat(FakePierApi.params(query()).get("q")).isEqualTo("\"connection refused\"");
  }

  @Test
  void filtersAreSentToTheApi() {
    var result = cli.run("logs:search", "refused", "--since", "2h", "--source", "app", "--instance", "web.1",
        "-n", "1", "-a", "hello");

    assertThat(result.out()).isEqualTo("2026-11-27T05:31:03.000001Z app[web.1]: Connection Refused again by db\n");
    assertThat(api.requests).containsExactly(
        "GET /apps/hello/logs/search?q=refused&since=2h&source=app&instance=web.1&limit=1");
  }

  @Test
  void aProcessTypeAsDynoSearchesAllItsInstances() {
    var result = cli.run("logs:search", "refused", "--dyno", "web", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(api.requests).containsExactly("GET /apps/hello/logs/search?q=refused&instance=web&limit=100");
  }

  @Test
  void anIsoTimeIsAcceptedAsSince() {
    var result = cli.run("logs:search", "refused", "--since", "2026-11-27T05:00:00Z", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(FakePierApi.params(query()).get("since")).isEqualTo("2026-11-27T05:00:00Z");
  }

  @Test
  void noMatchPrintsNothingAndANoteAndIsNotAnError() {
    var result = cli.run("logs:search", "segfault", "--since", "2h", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("No matching lines in the last 2h\n");
  }

  @Test
  void noMatchWithoutSinceNamesTheStoredLogs() {
    var result = cli.run("logs:search", "segfault", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEqualTo("No matching lines in the stored logs of hello\n");
  }

  @Test
  void jsonPrintsTheEntries() {
    var result = cli.run("logs:search", "GET", "--json", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    var entries = Json.parseOrNull(result.out());
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).get("source").asText()).isEqualTo("router");
    assertThat(entries.get(0).get("text").asText()).isEqualTo("GET /users 500 30ms");
  }

  @Test
  void anApiErrorIsShownAndExitsWithOne() {
    var result = cli.run("logs:search", "refused", "-a", "nope");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith(" !     ");
  }

  static Stream<Arguments> badSearches() {
    return Stream.of(
        Arguments.of(List.of(), " !     Give the text to search for, such as: pier logs:search timeout"),
        Arguments.of(List.of(" "), " !     Give the text to search for, such as: pier logs:search timeout"),
        Arguments.of(List.of("x", "--since", "2 hours"), " !     Invalid --since '2 hours': use a duration such as"
            + " 30s, 15m, 2h or 7d, or an ISO-8601 time such as 2026-11-27T05:00:00Z"),
        Arguments.of(List.of("x", "--since", "0h"), " !     Invalid --since '0h': use a duration such as"
            + " 30s, 15m, 2h or 7d, or an ISO-8601 time such as 2026-11-27T05:00:00Z"),
        Arguments.of(List.of("x", "--since", "2w"), " !     Invalid --since '2w': use a duration such as"
            + " 30s, 15m, 2h or 7d, or an ISO-8601 time such as 2026-11-27T05:00:00Z"),
        Arguments.of(List.of("x", "--since", "2026-11-27"), " !     Invalid --since '2026-11-27': use a duration such as"
            + " 30s, 15m, 2h or 7d, or an ISO-8601 time such as 2026-11-27T05:00:00Z"),
        Arguments.of(List.of("x", "--source", "build"), " !     Invalid --source 'build': use app, router or platform"),
        Arguments.of(List.of("x", "--instance", "Web.1"), " !     Invalid --instance 'Web.1': use TYPE.N or TYPE, such as web.1 or web"),
        Arguments.of(List.of("x", "--instance", "web.0"), " !     Invalid --instance 'web.0': use TYPE.N or TYPE, such as web.1 or web"),
        Arguments.of(List.of("x", "-n", "0"), " !     Invalid --limit 0: use a number of lines from 1 to 1000"),
        Arguments.of(List.of("x", "-n", "1001"), " !     Invalid --limit 1001: use a number of lines from 1 to 1000"));
  }

  @ParameterizedTest
  @MethodSource("badSearches")
  void aBadSearchIsRefusedBeforeAnyRequest(List<String> arguments, String error) {
    List<String> args = new ArrayList<>(List.of("logs:search", "-a", "hello"));
    args.addAll(arguments);

    var result = cli.run(args.toArray(String[]::new));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo(error + "\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void logsTailStillUsesThePlainTextStream() {
    api.logLines = List.of("2026-11-27T05:31:00.123Z app[web.1]: listening on 5000");

    var result = cli.run("logs", "--tail", "-a", "hello");

    assertThat(result.out()).isEqualTo("2026-11-27T05:31:00.123Z app[web.1]: listening on 5000\n");
    assertThat(api.requests).containsExactly("GET /apps/hello/logs?lines=100&tail=true&format=text");
  }

  private String query() {
    String request = api.requests.get(0);
    return request.substring(request.indexOf('?') + 1);
  }
}
