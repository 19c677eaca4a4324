package dev.pier.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system (tmpfs) mounted for a test, which a filler file can fill up. Skips the
 * test (assumption) where mounting is not permitted.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path mountPoint;
  private final Path filler;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
    this.filler = mountPoint.resolve("filler");
  }

  public static SmallDisk mount(Path mountPoint, int megabytes) throws IOException, InterruptedException {
    Files.createDirectories(mountPoint);
    int exit = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", mountPoint.toString());
    assumeTrue(exit == 0, "cannot mount a tmpfs (needs root): exit " + exit);
    return new SmallDisk(mountPoint);
  }

  public Path root() {
    return mountPoint;
  }

  /** Writes a file until the disk is full. */
  public void fill() throws IOException {
    byte[] chunk = new byte[16 << 10];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) out.write(chunk);
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) throw e;
    }
  }

  /** Deletes the filler: the space is free again. */
  public void free() throws IOException {
    Files.deleteIfExists(filler);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (run("umount", mountPoint.toString()) != 0) run("umount", "-l", mountPoint.toString());
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
