package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogRetentionCommandsTest extends FakeApiTest {
  @Test
  void retentionShowsHowLongLogsAreKept() {
    var result = cli.run("logs:retention", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Logs of hello are kept for 7 days\n");
    assertThat(api.requests).containsExactly("GET /apps/hello/logs/retention");
  }

  @Test
  void retentionAsJson() {
    var result = cli.run("logs:retention", "--json", "-a", "hello");

    assertThat(Json.parseOrNull(result.out()).get("days").asInt()).isEqualTo(7);
  }

  @Test
  void setSendsTheDaysAndTheNewRetentionIsShown() {
    var result = cli.run("logs:retention:set", "14", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Logs of hello are now kept for 14 days\n");
    assertThat(api.requests).containsExactly("PUT /apps/hello/logs/retention");
    assertThat(api.lastBody.toString()).isEqualTo("{\"days\":14}");
    assertThat(cli.run("logs:retention", "-a", "hello").out()).isEqualTo("Logs of hello are kept for 14 days\n");
  }

  @Test
  void setAcceptsDaysWithASuffixAndSaysOneDay() {
    var result = cli.run("logs:retention:set", "1d", "-a", "hello");

    assertThat(result.out()).isEqualTo("Logs of hello are now kept for 1 day\n");
    assertThat(api.lastBody.toString()).isEqualTo("{\"days\":1}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "366", "-3", "two", "14w", "14 days", "1.5"})
  void aBadRetentionIsRefusedBeforeAnyRequest(String days) {
    var result = cli.run("logs:retention:set", days, "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(
        " !     Invalid retention '" + days + "': use a number of days from 1 to 365, such as 14 or 14d\n");
    assertThat(api.requests).isEmpty();
  }
}
