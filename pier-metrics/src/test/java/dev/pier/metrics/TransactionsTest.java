package dev.pier.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionsTest {
  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2025-03-01T12:00:00Z");

  @Test
  void requestsAreGroupedByMethodAndNormalizedRoute() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      metrics.recordRequest("shop", 1, "GET", "/users/123", 200, 10, 1);
      metrics.recordRequest("shop", 1, "GET", "/users/456?tab=2", 200, 30, 1);
      metrics.recordRequest("shop", 1, "DELETE", "/users/456", 204, 5, 0);
      metrics.recordRequest("shop", 1, "GET", "/orders/5f2b8c9e1a2b3c4d5e6f7a8b", 200, 7, 1);

      List<Transaction> transactions = metrics.transactions("shop");
      assertThat(transactions)
          .extracting(Transaction::method, Transaction::route, Transaction::count)
          .containsExactlyInAnyOrder(
              tuple("GET", "/users/:id", 2L),
              tuple("DELETE", "/users/:id", 1L),
              tuple("GET", "/orders/:id", 1L));
      assertThat(transactions.get(0).route()).isEqualTo("/users/:id"); // most time consumed
      assertThat(transactions.get(0).meanMs()).isCloseTo(20, within(0.1));
    }
  }

  @Test
  void errorRateCountsServerErrorsOnlyAndSlowestRequestsAreListedSlowestFirst() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      for (int i = 1; i <= 100; i++) {
        int status = i % 10 == 0 ? 503 : i % 10 == 1 ? 404 : 200;
        metrics.recordRequest("shop", 1, "GET", "/users/" + i + "?token=secret", status, i, 1);
        clock.advance(Duration.ofMillis(100));
      }
      Transaction users = metrics.transactions("shop").get(0);
      assertThat(users.count()).isEqualTo(100);
      assertThat(users.errorRate()).isEqualTo(0.1);
      assertThat(users.p95Ms()).isEqualTo(95);
      assertThat(users.meanMs()).isCloseTo(50.5, within(0.1));
      // 10 s observed, but throughput is taken over at least one minute
      assertThat(users.throughputPerMinute()).isEqualTo(100.0);
      assertThat(users.slowest())
          .extracting(SlowRequest::path, SlowRequest::ms, SlowRequest::status)
          .containsExactly(
              tuple("/users/100", 100L, 503),
              tuple("/users/99", 99L, 200),
              tuple("/users/98", 98L, 200),
              tuple("/users/97", 97L, 200),
              tuple("/users/96", 96L, 200));
      assertThat(users.slowest().get(0).time())
          .isEqualTo(Instant.parse("2025-03-01T12:00:09.900Z"));
    }
  }

  @Test
  void distinctRoutesAreCappedAndTheRestGoesToOther() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      for (int i = 0; i < Metrics.MAX_ROUTES + 50; i++) {
        metrics.recordRequest("shop", 1, "GET", "/page-" + letters(i), 200, 1, 1);
      }
      metrics.recordRequest("shop", 1, "BREW", "/page-" + letters(0), 200, 1, 1);

      List<Transaction> transactions = metrics.transactions("shop");
      assertThat(transactions).hasSize(Metrics.MAX_ROUTES + 1);
      assertThat(transactions)
          .filteredOn(t -> t.route().equals("(other)"))
          .singleElement()
          .satisfies(t -> {
            assertThat(t.method()).isEqualTo("*");
            assertThat(t.count()).isEqualTo(51); // 50 routes past the cap + the unknown method
          });
    }
  }

  @Test
  void routesIdleForAnHourAreForgottenAndFreeTheirPlace() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      metrics.recordRequest("shop", 1, "GET", "/old", 200, 1, 1);
      for (int i = 0; i < 6 * 6 * 10 + 1; i++) { // 60 min of 10 s ticks
        clock.advance(Duration.ofSeconds(10));
        metrics.tick();
        if (i == 200) metrics.recordRequest("shop", 1, "GET", "/recent", 200, 1, 1);
      }
      assertThat(metrics.transactions("shop")).extracting(Transaction::route)
          .containsExactly("/recent");
    }
  }

  private static String letters(int i) {
    StringBuilder s = new StringBuilder();
    do {
      s.append((char) ('a' + i % 26));
      i /= 26;
    } while (i > 0);
    return s.toString();
  }
}
