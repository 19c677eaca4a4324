package dev.pier.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a test sees of disks from the host: loop devices, blocks used. */
public final class HostDisks {
  private HostDisks() {}

  /** Loop devices whose backing file is under {@code root}. */
  public static List<String> loopDevicesUnder(Path root) throws IOException {
    Path abs = root.toAbsolutePath().normalize();
    List<String> devices = new ArrayList<>();
    try (var list = Files.list(Path.of("/sys/block"))) {
      for (Path dev : list.toList()) {
        Path backing = dev.resolve("loop/backing_file");
        String file;
        try {
          file = Files.readString(backing).strip();
        } catch (IOException notLoopOrGone) {
          continue;
        }
        if (!file.isEmpty() && Path.of(file).startsWith(abs)) devices.add(dev.getFileName().toString());
      }
    }
    return devices;
  }

  /** Waits up to 10 s for the kernel to let go of loop devices backed by files under {@code root}. */
  public static void awaitNoLoopDeviceUnder(Path root) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<String> left = loopDevicesUnder(root);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      left = loopDevicesUnder(root);
    }
    if (!left.isEmpty()) throw new AssertionError("loop devices still backed by files under " + root + ": " + left);
  }

  /** Bytes the host's disk holds for {@code path} (a file, or a tree on one filesystem), like du -sx. */
  public static long allocatedBytes(Path path) throws IOException, InterruptedException {
    Process du = new ProcessBuilder("du", "-s", "-x", "-B1", path.toString()).redirectErrorStream(true).start();
    String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (du.waitFor() != 0) throw new IOException("du failed: " + out);
    return Long.parseLong(out.split("\\s+")[0]);
  }
}
