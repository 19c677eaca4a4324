package dev.pier.drains;

import static dev.pier.drains.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.LogLine;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpDrainTest {
  private static final Duration SOON = Duration.ofSeconds(5);
  private final RecordingDropReporter reporter = new RecordingDropReporter();

  /** The receivers listen on loopback: local destinations are allowed, as an operator can. */
  private static DrainOptions options(int batchSize, Duration maxDelay) {
    return new DrainOptions(10_000, Duration.ofSeconds(2), Duration.ofMillis(50), batchSize, maxDelay)
        .withDestinations(SyslogDrainTest.LOCAL_ALLOWED);
  }

  private static LogLine line(String text) {
    return new LogLine(Instant.now(), "hello", "app", "web.1", text);
  }

  private static List<String> texts(HttpReceiver.Request request) throws Exception {
    return OctetFrames.all(request.body()).stream()
        .map(m -> m.substring(m.indexOf(" - - ") + 5))
        .toList();
  }

  @Test
  void fullBatchesArePostedAtOnceAsLogplexFramesWithHeaders() throws Exception {
    try (HttpReceiver receiver = new HttpReceiver(200)) {
      String url = receiver.url("/logs?token=abc").replace("http://", "http://user:s3cret@");
      try (Drain drain = Drain.open("hello", DrainUrl.parse(url),
          options(10, Duration.ofSeconds(10)), reporter)) {
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) drain.accept(line("line " + i));

        HttpReceiver.Request first = receiver.take(5000);
        HttpReceiver.Request second = receiver.take(5000);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("sent because the batch was full, not after the 10 s delay")
            .isLessThan(Duration.ofSeconds(3));
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/logs?token=abc");
        assertThat(first.headers().getFirst("Content-Type")).isEqualTo("application/logplex-1");
        assertThat(first.headers().getFirst("Logplex-Msg-Count")).isEqualTo("10");
        assertThat(first.headers().getFirst("X-Pier-Drain-App")).isEqualTo("hello");
        assertThat(first.headers().getFirst("Authorization")).isEqualTo("Basic "
            + Base64.getEncoder().encodeToString("user:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(first.headers().getFirst("Logplex-Frame-Id"))
            .isNotBlank().isNotEqualTo(second.headers().getFirst("Logplex-Frame-Id"));
        assertThat(texts(first)).containsExactly(
            "line 0", "line 1", "line 2", "line 3", "line 4",
            "line 5", "line 6", "line 7", "line 8", "line 9");
        assertThat(texts(second)).hasSize(10).startsWith("line 10").endsWith("line 19");
        assertThat(OctetFrames.all(first.body()).get(0)).startsWith("<190>1 ").contains(" pier hello web.1 - - ");
        eventually(SOON, () -> drain.stats().sent() == 20, drain::stats);
        assertThat(drain.stats().connected()).isTrue();
      }
    }
  }

  @Test
  void aPartialBatchIsPostedOnceTheMaxDelayHasPassed() throws Exception {
    try (HttpReceiver receiver = new HttpReceiver(204);
        Drain drain = Drain.open("hello", DrainUrl.parse(receiver.url("/")),
            options(500, Duration.ofMillis(400)), reporter)) {
      long start = System.nanoTime();
      for (int i = 0; i < 3; i++) drain.accept(line("line " + i));

      HttpReceiver.Request request = receiver.take(5000);
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(waited).isBetween(Duration.ofMillis(350), Duration.ofSeconds(3));
      assertThat(request.headers().getFirst("Logplex-Msg-Count")).isEqualTo("3");
      assertThat(texts(request)).containsExactly("line 0", "line 1", "line 2");
      assertThat(receiver.requests.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void aBatchAnsweredWith500IsRetriedThenDroppedCountedAndReported() throws Exception {
    try (HttpReceiver receiver = new HttpReceiver(500);
        Drain drain = Drain.open("hello", DrainUrl.parse(receiver.url("/logs")),
            options(500, Duration.ofMillis(50)), reporter)) {
      drain.accept(line("one"));
      drain.accept(line("two"));

      List<HttpReceiver.Request> attempts =
          List.of(receiver.take(5000), receiver.take(5000), receiver.take(5000));
      assertThat(receiver.requests.poll(500, TimeUnit.MILLISECONDS)).as("no 4th attempt").isNull();
      assertThat(attempts).extracting(r -> r.headers().getFirst("Logplex-Frame-Id"))
          .as("a retry is the same batch").containsOnly(attempts.get(0).headers().getFirst("Logplex-Frame-Id"));
      for (HttpReceiver.Request r : attempts) assertThat(texts(r)).containsExactly("one", "two");

      eventually(SOON, () -> reporter.total() == 2, () -> reporter.reports);
      assertThat(reporter.reports).singleElement().satisfies(r -> {
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.reason()).isEqualTo("delivery failed (destination answered HTTP 500)");
        assertThat(r.url()).isEqualTo(receiver.url("/logs"));
      });
      DrainStats stats = drain.stats();
      assertThat(stats).extracting(DrainStats::sent, DrainStats::dropped, DrainStats::failures,
          DrainStats::connected).containsExactly(0L, 2L, 3L, false);
      assertThat(stats.lastError()).isEqualTo("destination answered HTTP 500");

      receiver.status = 200;
      drain.accept(line("three"));
      assertThat(texts(receiver.take(5000))).containsExactly("three");
      eventually(SOON, () -> drain.stats().connected() && drain.stats().sent() == 1, drain::stats);
    }
  }

  @Test
  void aDestinationThatNeverAnswersFailsAfterTheTimeout() throws Exception {
    try (HttpReceiver receiver = new HttpReceiver(200)) {
      receiver.delayMillis = 10_000;
      DrainOptions options = new DrainOptions(
          10_000, Duration.ofMillis(300), Duration.ofMillis(50), 500, Duration.ZERO)
          .withDestinations(SyslogDrainTest.LOCAL_ALLOWED);
      Drain drain = Drain.open("hello", DrainUrl.parse(receiver.url("/")), options, reporter);
      drain.accept(line("one"));

      eventually(SOON, () -> drain.stats().failures() > 0, drain::stats);
      assertThat(drain.stats().lastError()).contains("timed out after 300 ms");
      long closeStart = System.nanoTime();
      drain.close();
      assertThat(Duration.ofNanos(System.nanoTime() - closeStart)).isLessThan(Duration.ofSeconds(3));
      assertThat(drain.stats().dropped()).isEqualTo(1);
    }
  }

  @Test
  void deadHttpDestinationNeverSlowsAcceptAndEveryDropIsReported() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Drain drain = Drain.open("hello", DrainUrl.parse("http://127.0.0.1:" + port + "/"),
        options(500, Duration.ofMillis(100)), reporter);

    long start = System.nanoTime();
    for (int i = 0; i < 100_000; i++) drain.accept(line("line " + i));
    Duration acceptTook = Duration.ofNanos(System.nanoTime() - start);
    eventually(SOON, () -> drain.stats().failures() >= 3, drain::stats);
    drain.close();

    assertThat(acceptTook).isLessThan(Duration.ofSeconds(5));
    DrainStats stats = drain.stats();
    assertThat(stats.sent()).isZero();
    assertThat(stats.dropped()).isEqualTo(100_000);
    assertThat(stats.lastError()).contains("cannot connect to 127.0.0.1:" + port);
    assertThat(reporter.total()).isEqualTo(100_000);
    assertThat(reporter.total("delivery failed")).isPositive();
  }
}
