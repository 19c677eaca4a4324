package dev.pier.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Netty's leak detector at its strictest (every buffer tracked), counting the leaks it reports
 * for pooled-allocator buffers, so a test can assert the router released every buffer it held.
 */
final class LeakWatch {
  private static final AtomicInteger LEAKS = new AtomicInteger();
  private static volatile boolean installed;

  private LeakWatch() {}

  /** Switches the leak detector to paranoid and starts counting; idempotent. */
  static synchronized void install() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    if (installed) return;
    try {
      Class<?> owner = Class.forName("io.netty.buffer.AbstractByteBuf");
      Field field = owner.getDeclaredField("leakDetector");
      field.setAccessible(true);
      ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
      detector.setLeakListener((type, records) -> LEAKS.incrementAndGet());
      installed = true;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot watch Netty's buffer leak detector", e);
    }
  }

  /**
   * Collects garbage and allocates tracked buffers, which makes the detector report every
   * collected buffer that was never released; returns the leaks reported since {@link #install}.
   */
  static int leaksAfterGc() throws InterruptedException {
    for (int round = 0; round < 5; round++) {
      System.gc();
      Thread.sleep(50);
      for (int i = 0; i < 200; i++) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(16);
        buf.release();
        ByteBuf heap = ByteBufAllocator.DEFAULT.heapBuffer(16);
        heap.release();
      }
    }
    return LEAKS.get();
  }
}
