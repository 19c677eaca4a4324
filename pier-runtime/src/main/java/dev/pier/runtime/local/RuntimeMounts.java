package dev.pier.runtime.local;

import dev.pier.runtime.RuntimeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;

/** Makes sure the runtime mounts of an instance are there before its process starts. */
final class RuntimeMounts {
  private RuntimeMounts() {}

  /**
   * Restores each missing source; throws when one is missing and cannot be restored (the
   * message says why, for the instance's crash reason).
   */
  static void ensure(List<RuntimeMount> mounts) throws IOException {
    for (RuntimeMount m : mounts) {
      if (Files.isDirectory(m.source(), LinkOption.NOFOLLOW_LINKS)) continue;
      if (m.restore() == null) throw new IOException(m.source() + " (for " + m.target() + ") is missing");
      m.restore().restore();
      if (!Files.isDirectory(m.source(), LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(m.source() + " (for " + m.target() + ") is still missing after restoring it");
      }
    }
  }
}
