package dev.pier.drains;

import static dev.pier.drains.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.LogLine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SyslogDrainTest {
  private static final Duration SOON = Duration.ofSeconds(5);
  static final DrainDestinations LOCAL_ALLOWED = DrainDestinations.of(true, port -> false);
  private final RecordingDropReporter reporter = new RecordingDropReporter();

  /** The receivers listen on loopback: local destinations are allowed, as an operator can. */
  private static DrainOptions options(int capacity, Duration timeout) {
    return new DrainOptions(capacity, timeout, Duration.ofMillis(200), 500, Duration.ofSeconds(1))
        .withDestinations(LOCAL_ALLOWED);
  }

  private static LogLine line(String text) {
    return new LogLine(Instant.now(), "hello", "app", "web.1", text);
  }

  /** The MSG part of a received syslog message. */
  private static String text(String message) {
    return message.substring(message.indexOf(" - - ") + 5);
  }

  @Test
  void linesArriveInOrderAsOctetCountedRfc5424Frames() throws Exception {
    try (SyslogReceiver receiver = SyslogReceiver.reading(0);
        Drain drain = Drain.open("hello", DrainUrl.parse(receiver.url()),
            options(10_000, SOON), reporter)) {
      for (int i = 0; i < 2000; i++) drain.accept(line(i % 10 == 0 ? "línea ✓ " + i : "line " + i));

      String first = receiver.take(5000);
      assertThat(first).matches(
          "<190>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z pier hello web\\.1 - - línea ✓ 0");
      for (int i = 1; i < 2000; i++) {
        assertThat(text(receiver.take(5000))).isEqualTo(i % 10 == 0 ? "línea ✓ " + i : "line " + i);
      }
      eventually(SOON, () -> drain.stats().sent() == 2000, drain::stats);
      assertThat(receiver.framingErrors).isEmpty();
      assertThat(receiver.connections).hasValue(1);
      assertThat(drain.stats()).extracting(DrainStats::dropped, DrainStats::failures,
          DrainStats::connected).containsExactly(0L, 0L, true);
      assertThat(reporter.reports).isEmpty();
    }
  }

  @Test
  void reconnectsAfterTheReceiverRestartsAndDeliversWhatQueuedMeanwhile() throws Exception {
    SyslogReceiver first = SyslogReceiver.reading(0);
    int port = first.port();
    try (Drain drain = Drain.open("hello", DrainUrl.parse(first.url()),
        options(10_000, SOON), reporter)) {
      drain.accept(line("before restart"));
      assertThat(text(first.take(5000))).isEqualTo("before restart");

      first.close();
      Thread.sleep(100); // let the receiver's FIN reach the drain's socket
      for (int i = 0; i < 5; i++) drain.accept(line("while down " + i));
      eventually(SOON, () -> drain.stats().failures() > 0 && !drain.stats().connected(),
          drain::stats);
      assertThat(drain.stats().lastError()).contains("cannot connect to 127.0.0.1:" + port);

      try (SyslogReceiver second = SyslogReceiver.reading(port)) {
        for (int i = 0; i < 5; i++) assertThat(text(second.take(5000))).isEqualTo("while down " + i);
        drain.accept(line("after restart"));
        assertThat(text(second.take(5000))).isEqualTo("after restart");
        assertThat(drain.stats().connected()).isTrue();
        assertThat(drain.stats().dropped()).isZero();
      }
    }
  }

  @Test
  void deadDestinationNeverSlowsAcceptAndEveryDropIsCountedAndReported() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // nothing listens there once closed
    }
    Drain drain = Drain.open("hello", DrainUrl.parse("syslog+tcp://127.0.0.1:" + port),
        options(10_000, SOON), reporter);

    long start = System.nanoTime();
    for (int i = 0; i < 100_000; i++) drain.accept(line("line " + i));
    Duration acceptTook = Duration.ofNanos(System.nanoTime() - start);
    eventually(SOON, () -> drain.stats().failures() > 0, drain::stats);
    long closeStart = System.nanoTime();
    drain.close();
    Duration closeTook = Duration.ofNanos(System.nanoTime() - closeStart);

    assertThat(acceptTook).isLessThan(Duration.ofSeconds(5));
    assertThat(closeTook).isLessThan(Duration.ofSeconds(3));
    DrainStats stats = drain.stats();
    assertThat(stats.sent()).isZero();
    assertThat(stats.dropped()).isEqualTo(100_000);
    assertThat(stats.lastError()).contains("cannot connect to 127.0.0.1:" + port);
    assertThat(reporter.total()).isEqualTo(100_000);
    assertThat(reporter.total("queue full")).isGreaterThanOrEqualTo(100_000 - 10_000 - 256);
    assertThat(reporter.reports).allSatisfy(r -> {
      assertThat(r.app()).isEqualTo("hello");
      assertThat(r.url()).isEqualTo("syslog+tcp://127.0.0.1:" + port);
      assertThat(r.thread()).startsWith("drain hello");
    });
    assertThat(reporter.reports).filteredOn(r -> r.reason().startsWith("queue full"))
        .last().satisfies(r -> assertThat(r.reason()).contains("cannot connect"));
    assertThat(reporter.reports).as("drops are aggregated, not reported line by line").hasSizeLessThan(10);
  }

  @Test
  void dropsAreReportedAboutOncePerSecondWhileTheyLast() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Drain drain = Drain.open("hello", DrainUrl.parse("syslog+tcp://127.0.0.1:" + port),
        options(10, SOON), reporter);
    long end = System.nanoTime() + Duration.ofMillis(2600).toNanos();
    long accepted = 0;
    while (System.nanoTime() < end) {
      drain.accept(line("line " + accepted++));
      Thread.sleep(1);
    }

    List<RecordingDropReporter.Report> whileRunning = List.copyOf(reporter.reports);
    drain.close();

    assertThat(whileRunning).hasSizeBetween(1, 3);
    for (int i = 1; i < whileRunning.size(); i++) {
      assertThat(whileRunning.get(i).nanos() - whileRunning.get(i - 1).nanos())
          .isGreaterThanOrEqualTo(Duration.ofMillis(900).toNanos());
    }
    assertThat(drain.stats().dropped()).isEqualTo(accepted);
    assertThat(reporter.total()).isEqualTo(accepted);
  }

  /**
   * Bounds are far above what the work takes on a quiet machine yet far below what a broken drain
   * takes: an accept that waited for the stuck writer, or a close that did not free it, would
   * wait for the 60 s write timeout. The time bounds hold at a load average of 20.
   */
  @Test
  @Timeout(90)
  void receiverThatNeverReadsNeitherBlocksAcceptNorClose() throws Exception {
    try (SyslogReceiver stalled = SyslogReceiver.neverReading()) {
      // A long write timeout, so that only close() can free the stuck drain thread.
      Drain drain = Drain.open("hello", DrainUrl.parse(stalled.url()),
          options(10_000, Duration.ofSeconds(60)), reporter);

      long start = System.nanoTime();
      for (int i = 0; i < 100_000; i++) drain.accept(line("a line long enough to fill buffers " + i));
      Duration acceptTook = Duration.ofNanos(System.nanoTime() - start);
      long accepted = 100_000 + feedUntilStuck(drain);
      long closeStart = System.nanoTime();
      drain.close();
      Duration closeTook = Duration.ofNanos(System.nanoTime() - closeStart);
      // The drain thread reports what close() dropped last thing before it ends.
      eventually(Duration.ofSeconds(20), () -> reporter.total("drain closed") >= 10_000,
          () -> "reported as closed: " + reporter.reports);

      assertThat(acceptTook).isLessThan(Duration.ofSeconds(15));
      assertThat(closeTook).isLessThan(Duration.ofSeconds(15));
      DrainStats stats = drain.stats();
      assertThat(stats.dropped()).isPositive();
      assertThat(stats.sent() + stats.dropped()).isEqualTo(accepted);
      assertThat(reporter.total()).isEqualTo(stats.dropped());
    }
  }

  @Test
  void receiverThatStopsReadingIsTreatedAsDownAfterTheTimeout() throws Exception {
    try (SyslogReceiver stalled = SyslogReceiver.neverReading();
        Drain drain = Drain.open("hello", DrainUrl.parse(stalled.url()),
            options(10_000, Duration.ofMillis(300)), reporter)) {
      long deadline = System.nanoTime() + SOON.toNanos();
      while (drain.stats().failures() == 0 && System.nanoTime() < deadline) {
        for (int i = 0; i < 2000; i++) drain.accept(line("a line long enough to fill buffers " + i));
        Thread.sleep(5);
      }

      assertThat(drain.stats().failures()).isPositive();
      assertThat(drain.stats().lastError()).contains("receiver is not reading");
      eventually(SOON, () -> stalled.connections.get() > 1, () -> "no reconnect");
    }
  }

  /**
   * Keeps offering lines until the socket buffers are full and the drain thread is stuck in a
   * write: the queue is full and the thread waits for the receiver to take bytes (a write that
   * found no room, which stays so while the receiver reads nothing), twice in a row with nothing
   * sent in between. Returns how many lines it offered. Whether the thread is stuck is read from
   * its stack, not guessed from how long nothing moved: on a busy machine a thread that merely
   * waits for a CPU looks the same for a while.
   */
  private static long feedUntilStuck(Drain drain) throws InterruptedException {
    long offered = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long lastSent = -1;
    boolean stuckBefore = false;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < 2000; i++) drain.accept(line("a line long enough to fill buffers " + i));
      offered += 2000;
      Thread.sleep(20);
      DrainStats stats = drain.stats();
      boolean stuck = stats.queued() == 10_000 && waitingForRoomToWrite(drain);
      if (stuck && stuckBefore && stats.sent() == lastSent) return offered;
      stuckBefore = stuck;
      lastSent = stats.sent();
    }
    throw new AssertionError("the drain never got stuck: " + drain.stats());
  }

  /** Whether the drain's thread is in the transport's wait for room to write. */
  private static boolean waitingForRoomToWrite(Drain drain) {
    String transport = SyslogTcpTransport.class.getName();
    for (var thread : Thread.getAllStackTraces().entrySet()) {
      if (!thread.getKey().getName().startsWith("drain " + drain.app() + " ")) continue;
      boolean awaiting = false;
      for (StackTraceElement frame : thread.getValue()) {
        if (!frame.getClassName().equals(transport)) continue;
        if (frame.getMethodName().equals("await")) awaiting = true;
        else if (frame.getMethodName().equals("write")) return awaiting;
      }
    }
    return false;
  }

  @Test
  void closeDeliversWhatIsAlreadyQueuedToAWorkingReceiver() throws Exception {
    try (SyslogReceiver receiver = SyslogReceiver.reading(0)) {
      Drain drain = Drain.open("hello", DrainUrl.parse(receiver.url()),
          options(10_000, SOON), reporter);
      for (int i = 0; i < 5000; i++) drain.accept(line("line " + i));
      drain.close();
      drain.accept(line("after close")); // ignored, not counted

      for (int i = 0; i < 5000; i++) assertThat(text(receiver.take(5000))).isEqualTo("line " + i);
      assertThat(drain.stats()).extracting(DrainStats::sent, DrainStats::dropped)
          .containsExactly(5000L, 0L);
      assertThat(receiver.messages.poll()).isNull();
    }
  }

  @Test
  void closingTwiceIsHarmless() throws IOException {
    try (SyslogReceiver receiver = SyslogReceiver.reading(0)) {
      Drain drain = Drain.open("hello", DrainUrl.parse(receiver.url()),
          options(10, SOON), DropReporter.NONE);
      drain.close();
      drain.close();
      assertThat(drain.stats().connected()).isFalse();
    }
  }
}
