package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The access log runs off the event loops: a control plane whose access log is slow or stuck
 * (for example a metrics library spinning forever) delays only its log, never a request.
 */
class AccessLogQueueTest {
  private static final String HOST = "hello.localhost";

  /** Holds every call until released; counts the calls that arrived. */
  private static final class StuckAccessLog implements AccessLog {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch firstCall = new CountDownLatch(1);
    final List<AccessLogEntry> entries = new CopyOnWriteArrayList<>();

    @Override
    public void log(AccessLogEntry entry) {
      entries.add(entry);
      firstCall.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final StuckAccessLog stuck = new StuckAccessLog();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    stuck.release.countDown();
    for (AutoCloseable c : toClose.reversed()) c.close();
  }

  private static AccessLogEntry entry(String path) {
    return new AccessLogEntry("hello", "GET", path, HOST, "id", "127.0.0.1", "web.1", 1, 0, 1,
        200, 2, null);
  }

  private AccessLogQueue queue(AccessLog sink, int capacity) {
    AccessLogQueue queue = new AccessLogQueue(sink, capacity, Duration.ofSeconds(2));
    toClose.add(queue);
    queue.start();
    return queue;
  }

  @Test
  void requestsKeepBeingAnsweredWhileTheAccessLogIsStuck() throws Exception {
    KeepAliveBackend web1 = new KeepAliveBackend("web.1");
    toClose.add(web1);
    RouterServer router = new RouterServer(RouterHarness.FAST, stuck);
    toClose.add(router);
    router.start();
    router.routes(new RouteTable(Map.of(HOST, new Route("hello", List.of(web1.backend())))));

    // The first request's entry gets the access log stuck for the rest of the test.
    try (RawClient first = new RawClient(router.port())) {
      assertThat(first.get(HOST, "/").status()).isEqualTo(200);
      assertThat(stuck.firstCall.await(5, TimeUnit.SECONDS)).isTrue();
      // Same connection, so the same event loop as the exchange whose entry is stuck.
      first.socket.setSoTimeout(3000);
      for (int i = 0; i < 20; i++) assertThat(first.get(HOST, "/").status()).isEqualTo(200);
    }
    // Many clients closing after each response (one per request, spread over every loop), with
    // pooled instance connections, as in a deploy under load.
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> answered = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        answered.add(clients.submit(() -> {
          int ok = 0;
          for (int i = 0; i < 25; i++) {
            try (RawClient client = new RawClient(router.port())) {
              client.socket.setSoTimeout(3000);
              if (client.get(HOST, "/", "Connection: close").status() == 200) ok++;
            }
          }
          return ok;
        }));
      }
      for (Future<Integer> f : answered) assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(25);
    }
    assertThat(stuck.entries).hasSize(1); // still stuck on the first entry
    // The count drops right after the last byte is written, which can be a moment after the client read it.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (router.inFlight() != 0 && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(router.inFlight()).isZero();
  }

  @Test
  void entriesReachTheAccessLogInOrderOnItsOwnThread() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    RecordingAccessLog recording = new RecordingAccessLog();
    AccessLogQueue queue = queue(e -> {
      threads.add(Thread.currentThread().getName());
      recording.log(e);
    }, 100);
    for (int i = 0; i < 50; i++) queue.log(entry("/" + i));
    for (int i = 0; i < 50; i++) assertThat(recording.next().path()).isEqualTo("/" + i);
    assertThat(threads).containsOnly("pier-router-access-log");
    assertThat(queue.dropped()).isZero();
  }

  @Test
  void entriesBeyondTheCapacityAreDroppedWithoutBlockingTheCaller() throws Exception {
    AccessLogQueue queue = queue(stuck, 10);
    queue.log(entry("/first"));
    assertThat(stuck.firstCall.await(5, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) queue.log(entry("/" + i));
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
    assertThat(queue.dropped()).isEqualTo(990);

    stuck.release.countDown();
    queue.close();
    assertThat(stuck.entries).hasSize(11); // the stuck one, then the ten that fit
  }

  @Test
  void droppedEntriesAreReportedPerAppOnceTheAccessLogCatchesUp() throws Exception {
    java.util.Map<String, Long> reported = new java.util.concurrent.ConcurrentHashMap<>();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstCall = new CountDownLatch(1);
    AccessLog slow = new AccessLog() {
      @Override
      public void log(AccessLogEntry entry) {
        firstCall.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void dropped(String app, long count) {
        reported.merge(app, count, Long::sum);
      }
    };
    AccessLogQueue queue = queue(slow, 5);
    queue.log(entry("/first"));
    assertThat(firstCall.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 5; i++) queue.log(entry("/queued"));
    for (int i = 0; i < 30; i++) queue.log(entry("/dropped"));
    for (int i = 0; i < 7; i++) {
      queue.log(new AccessLogEntry("other", "GET", "/", "other.localhost", "id", "127.0.0.1", "web.1", 1, 0, 1, 200, 2, null));
    }
    queue.log(new AccessLogEntry(null, "GET", "/", "nope.localhost", "id", "127.0.0.1", null, 0, 0, 0, 404, 0, null));
    assertThat(reported).isEmpty(); // nothing can be said while the access log is stuck
    release.countDown();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (reported.size() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(reported).containsExactlyInAnyOrderEntriesOf(Map.of("hello", 30L, "other", 7L));
    assertThat(queue.dropped()).isEqualTo(38); // with the one that had no app
  }

  @Test
  void closeDeliversTheQueuedEntries() throws Exception {
    List<AccessLogEntry> delivered = new CopyOnWriteArrayList<>();
    AccessLogQueue queue = queue(e -> {
      try {
        Thread.sleep(1);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      delivered.add(e);
    }, 1000);
    for (int i = 0; i < 200; i++) queue.log(entry("/" + i));
    queue.close();
    assertThat(delivered).hasSize(200);
    queue.log(entry("/late"));
    assertThat(queue.dropped()).isEqualTo(1);
  }

  @Test
  void failingAccessLogDoesNotStopLaterEntries() throws Exception {
    RecordingAccessLog recording = new RecordingAccessLog();
    AccessLogQueue queue = queue(e -> {
      if (e.path().equals("/boom")) throw new IllegalStateException("boom");
      recording.log(e);
    }, 100);
    queue.log(entry("/boom"));
    queue.log(entry("/after"));
    assertThat(recording.next().path()).isEqualTo("/after");
  }
}
