package dev.pier.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where an instance's slug (a {@code .tar.gz} of the built app, entries relative to {@code /app})
 * comes from, without assuming it is a file on the machine that runs the instance: a backend
 * streams it with {@link #open()} and may cache what it made of it (an unpacked tree, an image)
 * under {@link #digest()}.
 *
 * <p>Implementations are safe for concurrent use: several instances of one release open the same
 * source at once.
 */
public interface SlugSource {
  /** Opens the slug for reading from its first byte; the caller closes the stream. */
  InputStream open() throws IOException;

  /**
   * A stable name of the slug's content, {@code sha256:HEX}: equal for equal bytes, different
   * otherwise, whoever computes it. May read the whole slug the first time it is asked.
   *
   * @throws java.io.UncheckedIOException when the slug cannot be read
   */
  String digest();

  /** The slug in a local file. */
  static SlugSource file(Path path) {
    return new FileSlugSource(path);
  }
}
