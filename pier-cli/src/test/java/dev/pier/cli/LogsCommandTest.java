package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsCommandTest {
  @TempDir Path home;
  private FakePierApi api;
  private CliHarness cli;

  @BeforeEach
  void start() throws Exception {
    api = new FakePierApi();
    api.deployedApp("hello");
    api.logLines = List.of(
        "2026-11-27T05:31:00.123Z app[web.1]: listening on 5000",
        "2026-11-27T05:31:01.000Z pier[router]: GET / 200 3ms");
    cli = new CliHarness(home, api);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void logsPrintsTheLastHundredLinesByDefault() {
    var result = cli.run("logs", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("""
        2026-11-27T05:31:00.123Z app[web.1]: listening on 5000
        2026-11-27T05:31:01.000Z pier[router]: GET / 200 3ms
        """);
    assertThat(api.requests).containsExactly("GET /apps/hello/logs?lines=100&tail=false&format=text");
  }

  @Test
  void sourceAndDynoNarrowTheStreamOnTheServer() {
    var result = cli.run("logs", "-a", "hello", "--source", "router", "-d", "web", "-t");

    assertThat(result.exitCode()).isZero();
    assertThat(api.requests)
        .containsExactly("GET /apps/hello/logs?lines=100&tail=true&format=text&source=router&dyno=web");
  }

  @Test
  void anUnknownSourceIsRefusedBeforeAnyRequest() {
    var result = cli.run("logs", "-a", "hello", "--source", "heroku");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("Invalid --source heroku: use app, router or platform");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void tailKeepsPrintingLinesUntilTheStreamEnds() {
    api.logLineDelayMillis = 50;

    var result = cli.run("logs", "-a", "hello", "--tail", "-n", "5");

    assertThat(result.out()).contains("listening on 5000", "GET / 200 3ms");
    assertThat(api.requests).containsExactly("GET /apps/hello/logs?lines=5&tail=true&format=text");
  }

  @Test
  void zeroLinesWithTailAsksOnlyForNewLinesAndANegativeCountIsRefused() {
    var tail = cli.run("logs", "-a", "hello", "--tail", "-n", "0");
    var negative = cli.run("logs", "-a", "hello", "-n", "-1");

    assertThat(tail.exitCode()).isZero();
    assertThat(negative.exitCode()).isNotZero();
    assertThat(negative.err()).contains("Invalid --num -1");
    assertThat(api.requests).containsExactly("GET /apps/hello/logs?lines=0&tail=true&format=text");
  }

  @Test
  void eachLineIsPrintedAsSoonAsItArrives() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    api.logsHold = hold;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream printer = new PrintStream(out, true, StandardCharsets.UTF_8);
    Thread run = Thread.ofPlatform().start(() -> PierCli.run(
        new String[] {"logs", "-t", "-a", "hello"}, printer, printer, cli.env, home,
        InputStream.nullInputStream()));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!out.toString(StandardCharsets.UTF_8).contains("listening on 5000") && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("listening on 5000")
          .doesNotContain("GET / 200 3ms");
    } finally {
      hold.countDown();
      run.join(10_000);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("GET / 200 3ms");
  }

  @Test
  void jsonAsksTheApiForNdjson() {
    api.logLines = List.of("{\"time\":\"2026-11-27T05:31:00Z\",\"source\":\"app\",\"instance\":\"web.1\",\"text\":\"hi\"}");

    var result = cli.run("logs", "-a", "hello", "--json");

    assertThat(result.out()).isEqualTo(api.logLines.get(0) + "\n");
    assertThat(api.requests).containsExactly("GET /apps/hello/logs?lines=100&tail=false&format=json");
  }
}
