package dev.pier.build.java;

import java.nio.file.Path;

/**
 * One JDK installed on the server.
 *
 * @param major the feature release, e.g. 17
 * @param version the full version from its {@code release} file, e.g. {@code 17.0.15}
 * @param home its directory, e.g. {@code /usr/lib/jvm/java-17-openjdk-amd64} (under /usr, so the
 *     sandbox sees it at the same path)
 */
public record Jdk(int major, String version, Path home) {
  /** {@code JDK 17.0.15 (/usr/lib/jvm/java-17-openjdk-amd64)}. */
  public String describe() {
    return "JDK " + version + " (" + home + ")";
  }
}
