package dev.pier.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.deploy.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases in the store, as two servers sharing one store see them. */
class LeasesTest {
  @TempDir Path tmp;
  private Database db;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T05:00:00Z"));
  private Leases a;
  private Leases b;

  @BeforeEach
  void open() {
    db = Database.open(tmp.resolve("db"));
    a = new Leases(db, clock, Duration.ofHours(1));
    b = new Leases(db, clock, Duration.ofHours(1));
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
    db.close();
  }

  @Test
  void aNameHeldByOneServerCannotBeTakenByAnotherUntilItIsReleased() {
    assertThat(a.tryAcquire("app:hello")).isTrue();
    assertThat(a.tryAcquire("app:hello")).as("the holder may take it again").isTrue();
    assertThat(b.tryAcquire("app:hello")).isFalse();
    assertThat(b.tryAcquire("app:other")).as("other names are free").isTrue();
    assertThat(b.holderOf("app:hello")).contains(a.holder());

    a.release("app:hello");

    assertThat(b.tryAcquire("app:hello")).isTrue();
  }

  @Test
  void aLeaseWhoseHolderDiedExpiresAfterItsTtl() {
    assertThat(a.tryAcquire("app:hello")).isTrue();
    clock.advance(Duration.ofMinutes(59));
    assertThat(b.tryAcquire("app:hello")).isFalse();

    clock.advance(Duration.ofMinutes(2));

    assertThat(b.tryAcquire("app:hello")).isTrue();
    assertThat(a.tryAcquire("app:hello")).isFalse();
  }

  @Test
  void releasingALeaseAnotherServerTookOverLeavesItsHolderAlone() {
    a.tryAcquire("app:hello");
    clock.advance(Duration.ofHours(2));
    b.tryAcquire("app:hello");

    a.release("app:hello");

    assertThat(a.holderOf("app:hello")).contains(b.holder());
  }

  @Test
  void clearingAtAStartFreesWhatAKilledServerHeld() {
    a.tryAcquire("app:hello");

    b.clearAll();

    assertThat(b.tryAcquire("app:hello")).isTrue();
  }

  @Test
  void manyServersRacingForOneNameGetItOneAtATime() throws Exception {
    List<Leases> servers = new ArrayList<>();
    for (int i = 0; i < 8; i++) servers.add(new Leases(db, clock, Duration.ofHours(1)));
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger rounds = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (Leases server : servers) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
          int done = 0;
          while (done < 5) {
            if (!server.tryAcquire("app:race")) continue;
            most.accumulateAndGet(holding.incrementAndGet(), Math::max);
            Thread.sleep(1);
            holding.decrementAndGet();
            server.release("app:race");
            done++;
            rounds.incrementAndGet();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    go.countDown();
    for (Thread t : threads) t.join(60_000);
    servers.forEach(Leases::close);

    assertThat(rounds.get()).isEqualTo(40);
    assertThat(most.get()).as("never two holders at once").isEqualTo(1);
  }
}
