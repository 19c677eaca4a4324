package dev.pier.deploy;

import dev.pier.errors.PlatformException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Instance sizes, in Heroku's words: memory and CPU an instance of a process type gets, enforced
 * by its cgroup (memory limit: killed past it; CPU quota: throttled past it).
 */
public enum InstanceSize {
  BASIC("basic", 256, 0.25),
  STANDARD_1X("standard-1x", 512, 0.5),
  STANDARD_2X("standard-2x", 1024, 1.0),
  PERFORMANCE_M("performance-m", 2048, 2.0);

  private final String wireName;
  private final int memoryMb;
  private final double cpus;

  InstanceSize(String wireName, int memoryMb, double cpus) {
    this.wireName = wireName;
    this.memoryMb = memoryMb;
    this.cpus = cpus;
  }

  public String wireName() {
    return wireName;
  }

  public int memoryMb() {
    return memoryMb;
  }

  public long memoryBytes() {
    return (long) memoryMb << 20;
  }

  public double cpus() {
    return cpus;
  }

  /** The size named {@code name} (case-insensitive); 422 naming the sizes there are otherwise. */
  public static InstanceSize parse(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (InstanceSize size : values()) {
      if (size.wireName.equals(wanted)) return size;
    }
    throw PlatformException.invalid("unknown size '" + name + "': use one of "
        + Arrays.stream(values()).map(InstanceSize::wireName).collect(Collectors.joining(", ")));
  }
}
