package dev.pier.build;

import java.util.List;

/**
 * The instance sizes app.yaml {@code resources} map onto, smallest first. They are the server's
 * {@code dev.pier.deploy.InstanceSize} values (the build stage cannot see the server; a server
 * test checks that both lists agree).
 */
public final class Sizes {
  /**
   * One size.
   *
   * @param name its wire name, e.g. {@code standard-2x}
   * @param memoryMb memory limit in MiB
   * @param cpus CPU quota in cores
   */
  public record Size(String name, int memoryMb, double cpus) {
    /** Returns {@code standard-2x (1024 MB, 1 CPU)}. */
    public String describe() {
      String c = cpus == Math.rint(cpus) ? String.valueOf((long) cpus) : String.valueOf(cpus);
      return name + " (" + memoryMb + " MB, " + c + (cpus == 1 ? " CPU)" : " CPUs)");
    }
  }

  /** Every size, smallest first. */
  public static final List<Size> ALL = List.of(
      new Size("basic", 256, 0.25),
      new Size("standard-1x", 512, 0.5),
      new Size("standard-2x", 1024, 1.0),
      new Size("performance-m", 2048, 2.0));

  private Sizes() {}

  /**
   * Returns the smallest size with at least {@code cpu} cores and {@code memoryGb} GiB (either
   * may be null: not asked for), or null when none has that much.
   */
  static Size smallestCovering(Double cpu, Double memoryGb) {
    for (Size size : ALL) {
      boolean cpuOk = cpu == null || size.cpus() >= cpu;
      boolean memoryOk = memoryGb == null || size.memoryMb() >= memoryGb * 1024;
      if (cpuOk && memoryOk) return size;
    }
    return null;
  }

  static Size largest() {
    return ALL.getLast();
  }
}
