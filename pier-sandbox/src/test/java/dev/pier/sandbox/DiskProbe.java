package dev.pier.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mounts under a folder as LoopDisks reads them (loop devices and blocks used: HostDisks in pier-testkit). */
public final class DiskProbe {
  private DiskProbe() {}

  /** Mount points strictly under {@code root}, as /proc/self/mountinfo lists them. */
  public static List<Path> mountedUnder(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    List<Path> points = new ArrayList<>();
    for (LoopDisks.Mounted m : LoopDisks.mounts()) {
      if (m.point().startsWith(abs) && !m.point().equals(abs)) points.add(m.point());
    }
    return points;
  }
}
