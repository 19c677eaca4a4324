package dev.pier.runtime.local;

import static dev.pier.model.InstanceState.COMPLETED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import dev.pier.runtime.Attachment;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.Interactive;
import dev.pier.sandbox.AppUser;
import dev.pier.testkit.ProcScan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attaching to interactive tasks ({@code withInteractive}): real sandboxed processes as root, in
 * cgroups under {@code pier-test-attach}; the client side is the test reading and writing the
 * attachment's streams.
 */
@Timeout(60)
class InstanceAttachTest {
  private static final AppUser USER = new AppUser(61004, 61004);
  private static final long MB = 1 << 20;

  @RegisterExtension
  static final BackendFixture fixture = BackendFixture.inCgroup("pier-test-attach").appsNamed("at");

  @Test
  void withPipesStdinReachesTheTaskItsEndIsEofAndTheOutputComesBackNotToTheLogs() throws Exception {
    fixture.backend().start(task("tr a-z A-Z; echo done >&2; exit 4", Interactive.pipes()));

    try (Attachment attachment = fixture.backend().attach(fixture.app(), "run.1")) {
      attachment.input().write("hello from stdin\n".getBytes(StandardCharsets.UTF_8));
      attachment.input().close();

      assertThat(readAll(attachment.output())).isEqualTo("HELLO FROM STDIN\ndone\n");
      assertThat(attachment.exit().get(10, TimeUnit.SECONDS)).isEqualTo(4);
    }
    fixture.awaitState("run.1", COMPLETED);
    assertThat(fixture.single().exitCode()).isEqualTo(4);
    assertThat(fixture.lines("run.1")).isEmpty();
  }

  @Test
  void withATerminalTheCommandSeesAPseudoTerminalOfTheGivenSizeAndResizeChangesIt() throws Exception {
    fixture.backend().start(task(
        "tty; stty size; read line; stty size; echo \"got $line\"; exit 3", Interactive.terminal(100, 30)));

    try (Attachment attachment = fixture.backend().attach(fixture.app(), "run.1")) {
      StringBuilder seen = new StringBuilder();
      InputStream out = attachment.output();
      readUntil(out, seen, "30 100");
      attachment.resize(132, 50);
      attachment.input().write("hi\r".getBytes(StandardCharsets.UTF_8));
      attachment.input().flush();
      readUntil(out, seen, "got hi");
      seen.append(readAll(out));

      assertThat(seen.toString()).contains("/dev/pts/").contains("30 100\r\n").contains("50 132\r\n");
      assertThat(attachment.exit().get(10, TimeUnit.SECONDS)).isEqualTo(3);
    }
  }

  @Test
  void ctrlCOnTheTerminalInterruptsTheForegroundCommandAndTheShellGoesOn() throws Exception {
    fixture.backend().start(task("PS1='prompt> ' bash --norc --noprofile -i", Interactive.terminal(80, 24)));

    try (Attachment attachment = fixture.backend().attach(fixture.app(), "run.1")) {
      StringBuilder seen = new StringBuilder();
      readUntil(attachment.output(), seen, "prompt> ");
      attachment.input().write("sleep 100\r".getBytes(StandardCharsets.UTF_8));
      attachment.input().flush();
      Thread.sleep(500);
      attachment.input().write(3);
      attachment.input().write("echo after-sleep $?; exit 5\r".getBytes(StandardCharsets.UTF_8));
      attachment.input().flush();
      String output = readAll(attachment.output());

      assertThat(output).contains("after-sleep 130");
      assertThat(attachment.exit().get(10, TimeUnit.SECONDS)).isEqualTo(5);
    }
  }

  @Test
  void stoppingAnAttachedTaskThatIgnoresSigtermKillsEverythingAndEndsItsOutput() throws Exception {
    fixture.backend().start(task("trap '' TERM; sleep 1000 & trap '' TERM; echo ready; wait", Interactive.terminal(80, 24)));

    try (Attachment attachment = fixture.backend().attach(fixture.app(), "run.1")) {
      readUntil(attachment.output(), new StringBuilder(), "ready");
      long started = System.nanoTime();
      fixture.backend().stop(fixture.app(), "run.1");

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(attachment.exit().get(10, TimeUnit.SECONDS)).isNotZero();
      readAll(attachment.output());
    }
    assertThat(fixture.backend().list(fixture.app())).isEmpty();
    assertThat(ProcScan.ofUid(USER.uid())).isEmpty();
  }

  @Test
  void anInstanceStartedWithoutInteractiveCannotBeAttachedTo() {
    fixture.backend().start(new InstanceSpec(
        AppName.of(fixture.app()), ProcessType.of("run"), 1, 1, fixture.serverSlug(),
        "sleep 5", Map.of(), USER, 128 * MB, Duration.ofSeconds(1)).withTask());

    assertThatThrownBy(() -> fixture.backend().attach(fixture.app(), "run.1"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not interactive");
    assertThatThrownBy(() -> fixture.backend().attach(fixture.app(), "run.9"))
        .isInstanceOf(java.util.NoSuchElementException.class);
  }

  private InstanceSpec task(String command, Interactive interactive) {
    return new InstanceSpec(
        AppName.of(fixture.app()), ProcessType.of("run"), 1, 1, fixture.serverSlug(),
        command, Map.of(), USER, 128 * MB, Duration.ofSeconds(1)).withInteractive(interactive);
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Reads until {@code text} was seen (or the stream ended), appending to {@code seen}. */
  private static void readUntil(InputStream in, StringBuilder seen, String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b;
    while (!bytes.toString(StandardCharsets.UTF_8).contains(text) && (b = in.read()) >= 0) bytes.write(b);
    seen.append(bytes.toString(StandardCharsets.UTF_8));
  }
}
