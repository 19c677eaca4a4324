package dev.pier.drains;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes. */
final class Eventually {
  private Eventually() {}

  static void eventually(Duration within, BooleanSupplier condition, Supplier<?> whatFailed)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toMillis() + " ms: " + whatFailed.get());
      }
      Thread.sleep(10);
    }
  }
}
