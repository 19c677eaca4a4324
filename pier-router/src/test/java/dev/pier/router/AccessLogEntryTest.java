package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccessLogEntryTest {
  @Test
  void successfulRequestIsFormattedLikeHerokusRouter() {
    AccessLogEntry entry = new AccessLogEntry("hello", "GET", "/", "hello.localhost",
        "8601b555-6a83-4c12-8269-97c8e32cdb22", "127.0.0.1", "web.1", 0, 1, 18, 200, 975, null);
    assertThat(entry.format()).isEqualTo(
        "at=info method=GET path=\"/\" host=hello.localhost"
            + " request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd=\"127.0.0.1\" dyno=web.1"
            + " connect=1ms service=18ms status=200 bytes=975");
  }

  @Test
  void requestThatWaitedForItsVersionToStartShowsHowLong() {
    AccessLogEntry entry = new AccessLogEntry("hello", "GET", "/", "hello.localhost", "id-2",
        "127.0.0.1", "web.1", 3, 1, 2318, 200, 5, null, 2300);
    assertThat(entry.format()).isEqualTo(
        "at=info method=GET path=\"/\" host=hello.localhost request_id=id-2 fwd=\"127.0.0.1\""
            + " dyno=web.1 version=v3 held=2300ms connect=1ms service=2318ms status=200 bytes=5");
    assertThat(new AccessLogEntry("hello", "GET", "/", "h", "id", "f", "web.1", 3, 1, 2, 200, 5,
        null).heldMillis()).isZero();
  }

  @Test
  void routerErrorPutsCodeAndDescriptionFirst() {
    AccessLogEntry entry = new AccessLogEntry(null, "POST", "/x", "nope.localhost", "id-1",
        "10.0.0.1, 127.0.0.1", null, 0, 0, 2, 404, 180, RouterError.NO_SUCH_APP);
    assertThat(entry.format()).isEqualTo(
        "at=error code=no_such_app desc=\"No such app\" method=POST path=\"/x\" host=nope.localhost"
            + " request_id=id-1 fwd=\"10.0.0.1, 127.0.0.1\" dyno= connect=0ms service=2ms"
            + " status=404 bytes=180");
  }

  @Test
  void clientControlledValuesCannotBreakTheLineOrForgeFields() {
    AccessLogEntry entry = new AccessLogEntry("hello", "GET", "/\"a\" b\nat=info", "evil host",
        "id", "1.2.3.4", "web.1", 0, 0, 0, 200, 0, null);
    assertThat(entry.format())
        .contains("path=\"/\\\"a\\\" b?at=info\"")
        .contains("host=evil?host ")
        .doesNotContain("\n");
  }

  @Test
  void knownVersionFollowsTheDyno() {
    AccessLogEntry entry = new AccessLogEntry("hello", "GET", "/", "hello.localhost", "id",
        "127.0.0.1", "web.1", 2, 1, 18, 200, 975, null);
    assertThat(entry.format()).contains(" dyno=web.1 version=v2 connect=1ms ");
  }

  @Test
  void negativeVersionIsRejected() {
    assertThatThrownBy(() -> new AccessLogEntry(
        "a", "GET", "/", "h", "id", "f", "web.1", -1, 0, 0, 200, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeCountsAreRejected() {
    assertThatThrownBy(() -> new AccessLogEntry(
        "a", "GET", "/", "h", "id", "f", "web.1", 0, -1, 0, 200, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
