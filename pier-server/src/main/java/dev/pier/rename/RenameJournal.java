package dev.pier.rename;

import dev.pier.model.AppName;
import dev.pier.store.Fsync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The one rename in progress, written to the device before any folder moves and removed once
 * rows and folders agree again. A server killed in between finds it at the next start: {@link
 * AppRenamer#recover()} then moves the folders to whichever name the store holds.
 */
final class RenameJournal {
  /** A rename that was started: {@code from} and {@code to}. */
  record Entry(AppName from, AppName to) {}

  private final Path file;

  RenameJournal(Path file) {
    this.file = file;
  }

  void begin(AppName from, AppName to) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(tmp, from.value() + "\n" + to.value() + "\n", StandardCharsets.UTF_8);
      Fsync.fileAndDirectory(tmp);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Fsync.fileAndDirectory(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the rename journal " + file, e);
    }
  }

  Optional<Entry> pending() {
    try {
      if (!Files.exists(file)) return Optional.empty();
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.size() < 2) return Optional.empty(); // written by no complete begin(): nothing moved yet
      return Optional.of(new Entry(new AppName(lines.get(0).strip()), new AppName(lines.get(1).strip())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the rename journal " + file, e);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not a journal this code wrote
    }
  }

  void clear() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the rename journal " + file, e);
    }
  }
}
