package dev.pier.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a test sees of disks from outside: mounts, loop devices, blocks used on the host. */
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

  /** Loop devices whose backing file is under {@code root}. */
  public static List<String> loopDevicesUnder(Path root) throws IOException {
    Path abs = root.toAbsolutePath().normalize();
    List<String> devices = new ArrayList<>();
    try (var list = Files.list(Path.of("/sys/block"))) {
      for (Path dev : list.toList()) {
        String backing = LoopDisks.backingFile(dev.getFileName().toString());
        if (backing != null && Path.of(backing).startsWith(abs)) devices.add(dev.getFileName().toString());
      }
    }
    return devices;
  }

  /** Waits up to 10 s for the kernel to let go of loop devices backed by files under {@code root}. */
  public static void awaitNoLoopDeviceUnder(Path root) throws IOException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<String> left = loopDevicesUnder(root);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      left = loopDevicesUnder(root);
    }
    if (!left.isEmpty()) throw new AssertionError("loop devices still backed by files under " + root + ": " + left);
  }

  /** Bytes the host's disk holds for {@code path} (a file, or a tree on one filesystem), like du. */
  public static long allocatedBytes(Path path) throws IOException {
    Process du = new ProcessBuilder("du", "-s", "-x", "-B1", path.toString()).redirectErrorStream(true).start();
    String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (du.waitFor() != 0) throw new IOException("du failed: " + out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    return Long.parseLong(out.split("\\s+")[0]);
  }
}
