package dev.pier.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disks as sparse ext4 image files, {@code DIR.img}, loop-mounted at {@code DIR} with {@code
 * nosuid,nodev}: the kernel refuses writes past the image's size with ENOSPC, and the host's disk
 * holds only the blocks written (deleted files give theirs back: {@code discard} punches holes
 * into the image).
 *
 * <p>The filesystem of {@link #create} and {@link #open} disks has no journal (a crash loses
 * nothing worth keeping: instance disks are deleted at the next start); {@link #keep} disks (an
 * add-on's database) have one. None has blocks reserved for root; about 5% of the size goes to its
 * own structures. It has an inode per 8 KiB, so trees of many small files (node_modules) fit.
 *
 * <p>Costs, per disk: a {@code mkfs.ext4} (it writes under 1 MiB into the sparse file) and a
 * {@code mount} to make it, an {@code umount} to give it back.
 */
final class LoopDisks implements Disks {
  static final Logger LOG = LoggerFactory.getLogger(LoopDisks.class);
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final Path SYS_BLOCK = Path.of("/sys/block");
  private static final long TOOL_TIMEOUT_SECONDS = 60;
  /** Kept disks mounted by this process. */
  private static final java.util.Set<Path> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Why loop disks cannot be made here, or null when they can. */
  static String missing() {
    if (!Sandbox.runningAsRoot()) return "not running as root";
    for (String tool : List.of("mkfs.ext4", "mount", "umount")) {
      if (Sandbox.find(tool) == null) return "missing " + tool + " (Debian packages e2fsprogs, mount)";
    }
    if (!Files.exists(Path.of("/dev/loop-control"))) return "no loop devices (/dev/loop-control)";
    return null;
  }

  @Override
  public boolean caps() {
    return true;
  }

  @Override
  public Disk create(Path dir, long bytes) throws IOException {
    Path image = imageOf(dir);
    unmountIfMounted(dir);
    Files.deleteIfExists(image);
    Files.createDirectories(dir);
    format(image, bytes, false);
    mountOrDelete(image, dir);
    return new LoopDisk(dir, image, bytes, true, () -> {});
  }

  @Override
  public Disk open(Path dir, long bytes) throws IOException {
    Path image = imageOf(dir);
    Path key = dir.toAbsolutePath().normalize();
    // One image mounted twice (two loop devices) would corrupt it: a kept disk has one user.
    if (!OPEN.add(key)) throw new IOException("the disk " + dir + " is in use (by another build)");
    try {
      return openKept(dir, image, bytes, key);
    } catch (IOException | RuntimeException e) {
      OPEN.remove(key);
      throw e;
    }
  }

  private Disk openKept(Path dir, Path image, long bytes, Path key) throws IOException {
    unmountIfMounted(dir);
    Files.createDirectories(dir);
    if (Files.isRegularFile(image, LinkOption.NOFOLLOW_LINKS) && Files.size(image) == bytes) {
      try {
        mount(image, dir);
        return new LoopDisk(dir, image, bytes, false, () -> OPEN.remove(key));
      } catch (IOException e) {
        LOG.warn("cannot mount the kept disk {}, making a new one: {}", image, e.getMessage());
      }
    }
    Files.deleteIfExists(image);
    format(image, bytes, false);
    mountOrDelete(image, dir);
    return new LoopDisk(dir, image, bytes, false, () -> OPEN.remove(key));
  }

  @Override
  public Disk keep(Path dir, long bytes) throws IOException {
    Path image = imageOf(dir);
    Path key = dir.toAbsolutePath().normalize();
    if (!OPEN.add(key)) throw new IOException("the disk " + dir + " is already mounted by this server");
    try {
      unmountLeftover(dir);
      String holder = awaitDetached(image);
      if (holder != null) {
        throw new IOException("the disk image " + image + " is still attached to /dev/" + holder
            + " (a process of an earlier run holds it); not mounting it twice");
      }
      Files.createDirectories(dir);
      if (Files.exists(image, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isRegularFile(image, LinkOption.NOFOLLOW_LINKS)) throw new IOException(image + " is not a file");
        mount(image, dir);
        return new LoopDisk(dir, image, Files.size(image), false, () -> OPEN.remove(key));
      }
      format(image, bytes, true);
      mountOrDelete(image, dir);
      return new LoopDisk(dir, image, bytes, false, () -> OPEN.remove(key));
    } catch (IOException | RuntimeException e) {
      OPEN.remove(key);
      throw e;
    }
  }

  @Override
  public void discard(Path dir) throws IOException {
    Path image = imageOf(dir);
    unmountLeftover(dir);
    if (loopBacking(image) != null) detachLoopsUnder(real(image));
    Files.deleteIfExists(image);
  }

  /** Unmounts what is mounted at {@code dir} (waiting, never lazily: the image may be mounted again next). */
  private static void unmountLeftover(Path dir) throws IOException {
    Path abs = real(dir);
    for (Mounted m : mounts()) {
      if (m.point().equals(abs)) {
        LOG.info("unmounting the disk an earlier run left at {}", abs);
        run("umount", abs.toString());
        return;
      }
    }
  }

  /**
   * Waits up to 2 s until no loop device is backed by {@code image} (the kernel detaches a loop
   * device of {@code mount -o loop} shortly after its unmount); answers the one still holding it.
   */
  private static String awaitDetached(Path image) throws IOException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    String holder = loopBacking(image);
    while (holder != null && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + image + " to be detached");
      }
      holder = loopBacking(image);
    }
    return holder;
  }

  /** The loop device (loopN) backed by {@code image}, or null. */
  private static String loopBacking(Path image) {
    String wanted = real(image).toString();
    try (var devices = Files.list(SYS_BLOCK)) {
      for (Path dev : devices.toList()) {
        String name = dev.getFileName().toString();
        if (name.startsWith("loop") && wanted.equals(backingFile(name))) return name;
      }
    } catch (IOException e) {
      LOG.warn("cannot list loop devices: {}", e.getMessage());
    }
    return null;
  }

  @Override
  public int reapLeftovers(Path under) {
    Path root = real(under);
    int unmounted = 0;
    for (Path mountPoint : loopMountsUnder(root)) {
      try {
        unmount(mountPoint);
        unmounted++;
      } catch (IOException e) {
        LOG.warn("cannot unmount the disk left at {}: {}", mountPoint, e.getMessage());
      }
    }
    detachLoopsUnder(root);
    if (unmounted > 0) LOG.warn("unmounted {} disk(s) left by an earlier run under {}", unmounted, root);
    return unmounted;
  }

  /** The path as the kernel names it (symbolic links resolved), as far as it exists. */
  static Path real(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    try {
      return abs.toRealPath();
    } catch (IOException e) {
      return abs;
    }
  }

  static Path imageOf(Path dir) {
    return dir.resolveSibling(dir.getFileName() + ".img");
  }

  /** A sparse file of {@code bytes} (owner-only) with an empty ext4 filesystem, journaled or not. */
  private static void format(Path image, long bytes, boolean journal) throws IOException {
    if (bytes < (4L << 20)) throw new IllegalArgumentException("a disk needs at least 4 MB: " + bytes);
    try (FileChannel file =
        FileChannel.open(
            image, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      file.write(java.nio.ByteBuffer.allocate(1), bytes - 1);
    }
    try {
      run("mkfs.ext4", "-q", "-F", "-m", "0", "-i", "8192", "-O", journal ? "has_journal" : "^has_journal",
          "-E", journal ? "lazy_itable_init=1,lazy_journal_init=1,nodiscard" : "lazy_itable_init=1,nodiscard", "-L", "pier-disk", image.toString());
    } catch (IOException e) {
      Files.deleteIfExists(image);
      throw e;
    }
  }

  private static void mountOrDelete(Path image, Path dir) throws IOException {
    try {
      mount(image, dir);
    } catch (IOException e) {
      Files.deleteIfExists(image);
      throw e;
    }
  }

  /** Mounts the image at {@code dir} and removes the {@code lost+found} that mkfs made. */
  private static void mount(Path image, Path dir) throws IOException {
    run("mount", "-t", "ext4", "-o", "loop,nosuid,nodev,noatime,discard", image.toString(), dir.toString());
    try {
      Files.deleteIfExists(dir.resolve("lost+found"));
    } catch (DirectoryNotEmptyException e) {
      // A kept disk whose check put something there: leave it.
    }
  }

  private static void unmountIfMounted(Path dir) throws IOException {
    Path abs = real(dir);
    for (Mounted m : mounts()) {
      if (m.point().equals(abs)) {
        unmount(abs);
        return;
      }
    }
  }

  /** Unmounts; when something still holds the filesystem, detaches it lazily instead. */
  static void unmount(Path dir) throws IOException {
    try {
      run("umount", dir.toString());
    } catch (IOException busy) {
      run("umount", "-l", dir.toString());
    }
  }

  /** Mount points under {@code root} (not root itself) of loop devices backed by {@code POINT.img}. */
  private static List<Path> loopMountsUnder(Path root) {
    List<Path> points = new ArrayList<>();
    for (Mounted m : mounts()) {
      if (!m.point().startsWith(root) || m.point().equals(root)) continue;
      if (!m.source().startsWith("/dev/loop")) continue;
      String backing = backingFile(m.source().substring("/dev/".length()));
      if (backing != null && backing.equals(imageOf(m.point()).toString())) points.add(m.point());
    }
    points.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return points;
  }

  /** Detaches loop devices still backed by images under {@code root} (not mounted anywhere). */
  private static void detachLoopsUnder(Path root) {
    if (Sandbox.find("losetup") == null) return;
    try (var devices = Files.list(SYS_BLOCK)) {
      for (Path dev : devices.toList()) {
        String name = dev.getFileName().toString();
        if (!name.startsWith("loop")) continue;
        String backing = backingFile(name);
        if (backing == null || !Path.of(backing).startsWith(root)) continue;
        try {
          run("losetup", "-d", "/dev/" + name);
        } catch (IOException e) {
          LOG.warn("cannot detach {} (backed by {}): {}", name, backing, e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list loop devices: {}", e.getMessage());
    }
  }

  /** The file behind a loop device, without the kernel's " (deleted)" mark; null if none. */
  static String backingFile(String device) {
    try {
      String file = Files.readString(SYS_BLOCK.resolve(device).resolve("loop/backing_file")).strip();
      return file.endsWith(" (deleted)") ? file.substring(0, file.length() - 10) : file;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** One line of /proc/self/mountinfo: where, and what is mounted there. */
  record Mounted(Path point, String source) {}

  static List<Mounted> mounts() {
    List<Mounted> result = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(MOUNTINFO)) {
        String[] f = line.split(" ");
        int dash = java.util.Arrays.asList(f).indexOf("-");
        if (f.length < 5 || dash < 0 || dash + 2 >= f.length) continue;
        result.add(new Mounted(Path.of(unescape(f[4])), unescape(f[dash + 2])));
      }
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", MOUNTINFO, e.getMessage());
    }
    return result;
  }

  /** Undoes mountinfo's octal escapes ({@code \040} for a space). */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) return s;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Runs a tool to its end; fails with its output when it exits non-zero. */
  static void run(String... argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(argv[0] + " did not finish within " + TOOL_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(argv[0] + " was interrupted");
    }
    if (p.exitValue() != 0) {
      throw new IOException(argv[0] + " failed (exit " + p.exitValue() + ")"
          + (output.isEmpty() ? "" : ": " + output));
    }
  }

  /** A mounted image; closing unmounts it and, unless it is kept, deletes the image. */
  private static final class LoopDisk implements Disk {
    private final Path dir;
    private final Path image;
    private final long bytes;
    private final boolean deleteOnClose;
    private final Runnable released;
    private volatile boolean closed;

    LoopDisk(Path dir, Path image, long bytes, boolean deleteOnClose, Runnable released) {
      this.dir = dir;
      this.image = image;
      this.bytes = bytes;
      this.deleteOnClose = deleteOnClose;
      this.released = released;
    }

    @Override
    public Path dir() {
      return dir;
    }

    @Override
    public long capBytes() {
      return bytes;
    }

    @Override
    public long freeBytes() {
      return closed ? 0 : dir.toFile().getUsableSpace();
    }

    @Override
    public synchronized void close() {
      if (closed) return;
      closed = true;
      try {
        unmount(dir);
      } catch (IOException e) {
        LOG.warn("cannot unmount the disk at {}: {}", dir, e.getMessage());
      }
      released.run();
      if (!deleteOnClose) return;
      try {
        Files.deleteIfExists(image);
      } catch (IOException e) {
        LOG.warn("cannot delete the disk image {}: {}", image, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return dir + " (" + (bytes >> 20) + " MB disk)";
    }
  }
}
