import dev.pier.sandbox.Disk;
import dev.pier.sandbox.Disks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a disk quota adds to an instance start and stop: times Disks.loop().create (sparse image,
 * mkfs.ext4, mount) and Disk.close (umount, delete) of a PIER_DISK_QUOTA_MB-sized disk, ROUNDS
 * times, in a temp dir on the data disk's filesystem. Run as root through bench/disk-start.sh.
 */
public class DiskStart {
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    long mb = args.length > 1 ? Long.parseLong(args[1]) : 1024;
    Path dir = Files.createTempDirectory(Path.of(args.length > 2 ? args[2] : "/tmp"), "pier-disk-bench");
    Disks disks = Disks.loop();
    List<Double> create = new ArrayList<>();
    List<Double> close = new ArrayList<>();
    try {
      for (int i = 0; i < rounds + 3; i++) {
        long t0 = System.nanoTime();
        Disk disk = disks.create(dir.resolve("app"), mb << 20);
        long t1 = System.nanoTime();
        disk.close();
        long t2 = System.nanoTime();
        if (i < 3) continue; // warm-up: class loading, page cache of the tools
        create.add((t1 - t0) / 1e6);
        close.add((t2 - t1) / 1e6);
      }
    } finally {
      disks.reapLeftovers(dir);
      Files.walk(dir).sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    System.out.printf("disk of %d MB, %d rounds (ms)%n", mb, rounds);
    System.out.printf("%-22s %8s %8s %8s %8s%n", "", "min", "median", "p90", "max");
    row("create (mkfs + mount)", create);
    row("close (umount + rm)", close);
  }

  private static void row(String name, List<Double> ms) {
    Collections.sort(ms);
    System.out.printf("%-22s %8.1f %8.1f %8.1f %8.1f%n", name, ms.getFirst(), ms.get(ms.size() / 2),
        ms.get((int) (ms.size() * 0.9)), ms.getLast());
  }
}
