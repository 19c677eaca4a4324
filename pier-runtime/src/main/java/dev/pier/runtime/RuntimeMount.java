package dev.pier.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory every process of an instance sees read-only at {@code target}: a language
 * runtime shared by the releases that use it (a cached Node.js at {@code /opt/pier/node}) rather
 * than copied into each slug.
 *
 * @param source the host directory
 * @param target the absolute path inside the sandbox, outside {@code /app} so that the app's own
 *     files cannot shadow it
 * @param restore puts {@code source} back when it is missing at start (the operator wiped a
 *     cache), or null when nothing can; its exception's message is the instance's crash reason
 */
public record RuntimeMount(Path source, String target, Restore restore) {
  public RuntimeMount {
    Objects.requireNonNull(source, "source");
    if (target == null || !target.startsWith("/") || target.contains("..") || target.equals("/")
        || target.equals("/app") || target.startsWith("/app/")) {
      throw new IllegalArgumentException("a runtime mount needs an absolute target outside /app: " + target);
    }
  }

  /** Puts a missing runtime mount's source back. */
  @FunctionalInterface
  public interface Restore {
    /**
     * @throws IOException with the reason the instance cannot start, in words for the app's owner
     */
    void restore() throws IOException;
  }
}
