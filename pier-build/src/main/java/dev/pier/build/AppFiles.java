package dev.pier.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Reads small configuration files (Procfile, app.yaml, package.json) from an app's source. Pier
 * reads them with its own privileges, so symbolic links are refused: a Procfile linked to a host
 * file must not leak that file into build output.
 */
final class AppFiles {
  static final int MAX_BYTES = 1024 * 1024;

  private AppFiles() {}

  /** True when the app root has an entry of that name (even a symlink, to report it). */
  static boolean exists(Path dir, String name) {
    return Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
  }

  static String read(Path dir, String name) throws BuildFailure {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new BuildFailure(name + " must be a regular file, not a symbolic link or directory");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new BuildFailure(name + " could not be read: " + e.getMessage(), e);
    }
    if (bytes.length > MAX_BYTES) throw new BuildFailure(name + " is larger than 1 MiB");
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BuildFailure(name + " is not valid UTF-8 text");
    }
  }
}
