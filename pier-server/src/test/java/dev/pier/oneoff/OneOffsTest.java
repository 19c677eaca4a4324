package dev.pier.oneoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.errors.PlatformException;
import dev.pier.model.AppName;
import dev.pier.model.InstanceState;
import dev.pier.model.ProcessType;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.Interactive;
import dev.pier.runtime.RuntimeBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The one-off launcher's own rules against an in-memory runtime and a clock the test moves. */
class OneOffsTest {
  private final Clock clock = new Clock();
  private final Tasks runtime = new Tasks();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final OneOffs oneOffs = new OneOffs(runtime, OneOffsTest::spec,
      (app, instance, message) -> events.add(app + " " + instance + ": " + message), clock);

  @Test
  void runsAreNumberedPerAppAndTypeAndANameStillListedIsNotReused() {
    assertThat(oneOffs.start("shop", OneOffRequest.detached("ls")).name()).isEqualTo("run.1");
    assertThat(oneOffs.start("shop", OneOffRequest.detached("ls")).name()).isEqualTo("run.2");
    assertThat(oneOffs.start("blog", OneOffRequest.detached("ls")).name()).isEqualTo("run.1");
    assertThat(oneOffs.start("shop", new OneOffRequest("ls", "cron", null, null, null)).name()).isEqualTo("cron.1");

    runtime.remove("shop", "run.1");
    assertThat(oneOffs.start("shop", OneOffRequest.detached("ls")).name()).isEqualTo("run.3");

    // A fresh launcher (after a server restart) counts on from what is still listed.
    OneOffs restarted = new OneOffs(runtime, OneOffsTest::spec, (a, i, m) -> {}, clock);
    assertThat(restarted.start("shop", OneOffRequest.detached("ls")).name()).isEqualTo("run.4");
    assertThat(OneOffNames.next(0, List.of())).isEqualTo(1);
    assertThat(OneOffNames.next(2, List.of(7, 3))).isEqualTo(8);
  }

  @Test
  void aRunIsStoppedWhenItReachesItsTimeLimitAndTheLogSaysWhy() throws Exception {
    oneOffs.start("shop", new OneOffRequest("sleep 9999", OneOffs.RUN, null, null, Duration.ofMinutes(10)));

    clock.advance(Duration.ofMinutes(9).plusSeconds(59));
    oneOffs.sweep();
    assertThat(runtime.list("shop")).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    oneOffs.sweep();
    awaitGone("shop");
    assertThat(events).contains("shop run.1: Stopping: reached its time limit of 10 min");
    assertThat(oneOffs.exit("shop", "run.1").get()).isNull();
  }

  @Test
  void theTimeLimitIs24HoursUnlessSetAndMustBeBetweenASecondAndAWeek() {
    assertThat(OneOffRequest.detached("ls").timeLimit()).isEqualTo(Duration.ofHours(24));
    assertThat(oneOffs.start("shop", OneOffRequest.detached("ls")).deadline())
        .isEqualTo(clock.instant().plus(Duration.ofHours(24)));
    assertThatThrownBy(() -> new OneOffRequest("ls", null, null, null, Duration.ZERO))
        .isInstanceOf(PlatformException.class).hasMessageContaining("time limit must be between 1 second and 7 days");
    assertThatThrownBy(() -> new OneOffRequest("ls", null, null, null, Duration.ofDays(8)))
        .isInstanceOf(PlatformException.class);
    assertThatThrownBy(() -> OneOffRequest.detached(" "))
        .isInstanceOf(PlatformException.class).hasMessageContaining("command must not be empty");
  }

  @Test
  void anAttachedRunNobodyAttachesToIsStoppedAfterTheAttachWindow() throws Exception {
    oneOffs.start("shop", new OneOffRequest("bash", OneOffs.RUN, null, Interactive.terminal(80, 24), null));
    assertThat(runtime.started.getLast().interactive()).isEqualTo(Interactive.terminal(80, 24));

    clock.advance(OneOffs.ATTACH_WINDOW.minusSeconds(1));
    oneOffs.sweep();
    assertThat(runtime.list("shop")).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    oneOffs.sweep();
    awaitGone("shop");
    assertThat(events).contains("shop run.1: Stopping: no client attached within 60 s");
  }

  @Test
  void aCompletedDetachedRunStaysListedWithItsExitCodeForAWhileThenGoes() throws Exception {
    oneOffs.start("shop", OneOffRequest.detached("exit 3"));
    runtime.complete("shop", "run.1", 3);

    oneOffs.sweep();
    assertThat(oneOffs.exit("shop", "run.1").get()).isEqualTo(3);
    clock.advance(OneOffs.KEEP_COMPLETED.minusSeconds(1));
    oneOffs.sweep();
    assertThat(runtime.list("shop")).extracting(InstanceStatus::state).containsExactly(InstanceState.COMPLETED);

    clock.advance(Duration.ofSeconds(1));
    oneOffs.sweep();
    awaitGone("shop");
  }

  @Test
  void psStopStopsAOneOffButRefusesFormationInstancesAndUnknownNames() {
    oneOffs.start("shop", OneOffRequest.detached("sleep 100"));
    runtime.start(new InstanceSpec(AppName.of("shop"), ProcessType.WEB, 1, 7, Path.of("/slug.tgz"),
        "npm start", Map.of(), null, 256 << 20, Duration.ofSeconds(1)));

    assertThatThrownBy(() -> oneOffs.stop("shop", "web.1"))
        .isInstanceOf(PlatformException.class).hasMessageContaining("web.1 is part of the formation");
    assertThatThrownBy(() -> oneOffs.stop("shop", "run.9"))
        .isInstanceOf(PlatformException.class).hasMessageContaining("no process run.9 on shop");
    oneOffs.stop("shop", "run.1");
    assertThat(runtime.list("shop")).extracting(InstanceStatus::name).doesNotContain("run.1");
    assertThat(events).contains("shop run.1: Stopping: asked by ps:stop");
  }

  @Test
  void aRunOfAnAppWithoutReleaseIsRefusedAndUsesNoName() {
    OneOffs noRelease = new OneOffs(runtime, (app, request, index) -> {
      throw PlatformException.conflict("app '" + app + "' has no release yet");
    }, (a, i, m) -> {}, clock);

    assertThatThrownBy(() -> noRelease.start("empty", OneOffRequest.detached("bash")))
        .isInstanceOf(PlatformException.class).hasMessageContaining("has no release yet");
    assertThat(runtime.list("empty")).isEmpty();
  }

  private void awaitGone(String app) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!runtime.list(app).stream().filter(InstanceStatus::task).toList().isEmpty()) {
      if (System.nanoTime() > deadline) throw new AssertionError("still listed: " + runtime.list(app));
      Thread.sleep(10);
    }
  }

  private static InstanceSpec spec(String app, OneOffRequest request, int index) {
    return new InstanceSpec(AppName.of(app), ProcessType.of(request.type()), index, 7, Path.of("/slug.tgz"),
        request.command(), Map.of(), null, 256 << 20, Duration.ofSeconds(1)).withTask();
  }

  /** Task instances in memory: started UP, completed or removed when the test says. */
  private final class Tasks implements RuntimeBackend {
    final List<InstanceSpec> started = new CopyOnWriteArrayList<>();
    private final Map<String, InstanceStatus> statuses = new ConcurrentHashMap<>();

    @Override
    public void start(InstanceSpec spec) {
      started.add(spec);
      statuses.put(spec.app().value() + "/" + spec.id(), new InstanceStatus(spec.app().value(), spec.id(),
          spec.name(), spec.type().value(), spec.index(), spec.release(), InstanceState.UP, clock.instant(), 0, 0,
          spec.command(), null, null, InstanceStatus.LOOPBACK, null, clock.instant(), spec.mode()));
    }

    void complete(String app, String id, int code) {
      InstanceStatus s = statuses.get(app + "/" + id);
      statuses.put(app + "/" + id, new InstanceStatus(app, id, s.name(), s.type(), s.index(), s.release(),
          InstanceState.COMPLETED, s.startedAt(), 0, 0, s.command(), null, null, s.host(), code, null, s.mode()));
    }

    void remove(String app, String id) {
      statuses.remove(app + "/" + id);
    }

    @Override
    public void stop(String app, String id) {
      remove(app, id);
    }

    @Override
    public List<InstanceStatus> list(String app) {
      List<InstanceStatus> result = new ArrayList<>();
      statuses.values().forEach(s -> {
        if (s.app().equals(app)) result.add(s);
      });
      result.sort(Comparator.comparing(InstanceStatus::type).thenComparingInt(InstanceStatus::index));
      return result;
    }

    @Override
    public void close() {}
  }

  private static final class Clock implements InstantSource {
    private volatile Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }
}
