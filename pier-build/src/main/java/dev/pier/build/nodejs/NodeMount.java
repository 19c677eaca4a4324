package dev.pier.build.nodejs;

import dev.pier.build.BuildContext;
import dev.pier.build.BuildFailure;
import dev.pier.sandbox.Mount;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a cached Node.js is seen: its cache directory ({@code DATA/runtimes/node/VERSION}) is
 * bound read-only at {@value #HOME} into every build step and every instance of the release, so
 * slugs do not carry it. {@value #HOME} lies outside {@code /app}: the app's own files cannot
 * shadow it, and it cannot write into it.
 *
 * <p>The slug says which Node.js it needs in {@value #FILE} at its root (written by Pier after the
 * build steps, replacing any such file of the app): the version and the registry's integrity of
 * its package, so a wiped cache entry can be downloaded again and checked the same way.
 */
public final class NodeMount {
  /** Where the Node.js lives in the sandbox. */
  public static final String HOME = "/opt/pier/node";
  /** Its bin directory, first on PATH. */
  public static final String BIN = HOME + "/bin";
  /** The file at the root of the slug naming the Node.js its processes run. */
  public static final String FILE = ".pier-node";
  private static final long MAX_FILE = 4096;

  private NodeMount() {}

  /** The read-only bind of the cached release {@code home}. */
  static Mount of(Path home) {
    return Mount.readOnly(home, HOME);
  }

  /** Writes {@value #FILE} into the app: the slug then asks for {@code release} at run time. */
  static void record(BuildContext ctx, NodeRelease release) throws BuildFailure {
    Path file = ctx.appDir().resolve(FILE);
    String text = "# The Node.js this app's processes run (written by Pier)\nversion=" + release.version() + "\n"
        + (release.integrity() == null ? "" : "integrity=" + release.integrity() + "\n");
    try {
      if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new BuildFailure(FILE + " in the app is a directory: Pier records the app's Node.js version there");
      }
      Files.deleteIfExists(file); // a link the build made is removed, never followed
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new BuildFailure("Pier could not record the Node.js version in the app: " + e.getMessage(), e);
    }
  }

  /**
   * The Node.js the slug's {@value #FILE} names ({@link NodeRelease#tarball()} null, {@link
   * NodeRelease#integrity()} null when not recorded); empty for anything else.
   */
  public static Optional<NodeRelease> parse(byte[] file) {
    if (file == null || file.length > MAX_FILE) return Optional.empty();
    Properties p = new Properties();
    try {
      p.load(new StringReader(new String(file, StandardCharsets.UTF_8)));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String version = p.getProperty("version", "").strip();
    String integrity = p.getProperty("integrity");
    if (NodeRelease.parse(version).isEmpty()) return Optional.empty();
    if (integrity != null && !integrity.strip().matches("sha512-[A-Za-z0-9+/=]{20,200}")) integrity = null;
    return Optional.of(new NodeRelease(version, null, integrity == null ? null : integrity.strip()));
  }

  /**
   * Removes an {@value #FILE} the app's source brought along (only Pier writes it); a link is
   * removed, never followed.
   */
  public static void clear(Path appDir) throws IOException {
    Path file = appDir.resolve(FILE);
    if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(file);
  }

  /** The largest {@value #FILE} Pier reads. */
  public static long maxFileBytes() {
    return MAX_FILE;
  }
}
