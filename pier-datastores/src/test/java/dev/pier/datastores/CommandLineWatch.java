package dev.pier.datastores;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Records, while it runs, every host command line (read from /proc) that contains a word. */
final class CommandLineWatch implements AutoCloseable {
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;

  CommandLineWatch(String word) {
    thread = Thread.ofPlatform().daemon().name("cmdline-watch").start(() -> {
      while (running) {
        scan(word);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  private void scan(String word) {
    try (var entries = Files.list(Path.of("/proc"))) {
      for (Path dir : entries.toList()) {
        if (!dir.getFileName().toString().chars().allMatch(Character::isDigit)) continue;
        try {
          String cmd = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmd.contains(word)) seen.add(cmd);
        } catch (IOException e) {
          // Exited meanwhile.
        }
      }
    } catch (IOException e) {
      // Tried again at the next round.
    }
  }

  /** Stops watching and returns the command lines seen. */
  List<String> seen() throws InterruptedException {
    close();
    return List.copyOf(seen);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
  }
}
