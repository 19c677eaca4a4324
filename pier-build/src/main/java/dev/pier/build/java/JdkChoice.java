package dev.pier.build.java;

import dev.pier.build.BuildFailure;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The JDK a build uses and why, in words for the build output.
 *
 * @param jdk the chosen JDK
 * @param reason e.g. {@code system.properties java.runtime.version=21 asks for Java 21, which is
 *     not installed here: using 25, the lowest installed version above it (JDKs here: 17, 25)}
 */
public record JdkChoice(Jdk jdk, String reason) {
  /** The version used when the app asks for none (Heroku's default was 17 for long, too). */
  public static final int DEFAULT_MAJOR = 17;

  /**
   * Picks the lowest installed JDK at least as new as asked ({@link #DEFAULT_MAJOR} when the
   * app does not ask).
   *
   * @param installed lowest version first, as {@link Jdks#installed} returns them
   * @throws BuildFailure when no JDK is installed, or none is new enough
   */
  public static JdkChoice choose(JavaVersionRequest request, List<Jdk> installed) throws BuildFailure {
    if (installed.isEmpty()) {
      throw new BuildFailure("No JDK is installed on this Pier server (looked in " + Jdks.SYSTEM_DIR
          + "): its operator can install one, e.g. apt-get install openjdk-17-jdk-headless");
    }
    String here = "JDKs here: " + installed.stream().map(j -> String.valueOf(j.major()))
        .distinct().collect(Collectors.joining(", "));
    int wanted = request.major() == null ? DEFAULT_MAJOR : request.major();
    Jdk chosen = installed.stream().filter(j -> j.major() >= wanted).findFirst().orElse(null);
    if (chosen == null) {
      String asked = request.major() == null ? "the default Java " + wanted : request.source();
      throw new BuildFailure(asked + " asks for Java " + wanted + ", but the newest JDK on this Pier"
          + " server is " + installed.getLast().major() + " (" + here + ")");
    }
    String asked = request.major() == null
        ? "no Java version asked for (set " + JavaVersionRequest.KEY + " in "
            + JavaVersionRequest.SYSTEM_PROPERTIES + "): the default is Java " + wanted
        : request.source() + " asks for Java " + wanted;
    String reason = chosen.major() == wanted
        ? asked + " (" + here + ")"
        : asked + ", which is not installed here: using " + chosen.major()
            + ", the lowest installed version above it (" + here + ")";
    return new JdkChoice(chosen, reason);
  }
}
