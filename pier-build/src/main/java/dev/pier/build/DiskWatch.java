package dev.pier.build;

import dev.pier.sandbox.Disk;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Tells, for one build step, whether it filled the build's disk (sampled while it runs, since a
 * tool may delete what it wrote when a write fails) and whether its output reported running out of
 * space anywhere (its {@code /tmp} is not visible from here). The cap itself is the kernel's; this
 * only lets the failure say why.
 */
final class DiskWatch {
  private static final Duration SAMPLE = Duration.ofMillis(200);

  /** What a step ran into. */
  record Seen(boolean diskFull, boolean noSpace) {}

  private final Disk disk;
  private final AtomicBoolean full = new AtomicBoolean();
  private final AtomicBoolean noSpace = new AtomicBoolean();
  private final Thread sampler;

  /** Starts watching {@code disk} (null: only the output is watched). */
  DiskWatch(Disk disk) {
    this.disk = disk;
    this.sampler = disk == null ? null : Thread.ofVirtual().name("build-disk-watch").start(this::sample);
  }

  /** {@code lines}, noting lines that say a write found no space. */
  Consumer<String> lines(Consumer<String> lines) {
    return line -> {
      if (line.contains("No space left on device") || line.contains("ENOSPC")) noSpace.set(true);
      lines.accept(line);
    };
  }

  /** Stops sampling and says what was seen. */
  Seen stop() {
    if (sampler != null) {
      sampler.interrupt();
      if (disk.full()) full.set(true);
    }
    return new Seen(full.get(), noSpace.get());
  }

  private void sample() {
    try {
      while (!full.get()) {
        if (disk.full()) full.set(true);
        Thread.sleep(SAMPLE);
      }
    } catch (InterruptedException e) {
      // The step ended.
    }
  }
}
