package dev.pier.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Why an instance stopped or is not running, in words {@code pier ps} shows beside the state:
 * "exited with code 1", "killed: out of memory (limit 512 MB)", "did not listen on $PORT within
 * 60 s", "stopped by the platform".
 *
 * @param kind what kind of end it was; only {@link Kind#STOPPED} is no crash
 * @param words the reason as a user reads it, lower case, without a trailing period
 * @param lastOutput the last few lines the process wrote (oldest first), empty when none or not
 *     relevant
 */
public record ExitReason(Kind kind, String words, List<String> lastOutput) {
  /** How many lines of output a reason keeps. */
  public static final int LAST_LINES = 5;

  /** The kinds of end an instance can come to. */
  public enum Kind {
    /** The process exited on its own, with a status code. */
    EXITED,
    /** The kernel killed a process of it for exceeding its memory limit. */
    OUT_OF_MEMORY,
    /** A web process did not listen on (or answer on) its port within the boot timeout. */
    BOOT_TIMEOUT,
    /** The process could not be started at all. */
    FAILED_TO_START,
    /** The platform stopped it (deploy, scale-down, restart, shutdown): no crash. */
    STOPPED
  }

  public ExitReason {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(words, "words");
    lastOutput = lastOutput == null ? List.of() : List.copyOf(lastOutput);
  }

  public static ExitReason exited(int code, List<String> lastOutput) {
    return new ExitReason(Kind.EXITED, "exited with code " + code, lastOutput);
  }

  public static ExitReason outOfMemory(long limitBytes, List<String> lastOutput) {
    return new ExitReason(
        Kind.OUT_OF_MEMORY, "killed: out of memory (limit " + (limitBytes >> 20) + " MB)", lastOutput);
  }

  /** A web process that did not listen on $PORT (or answer 2xx on {@code readinessPath}) in time. */
  public static ExitReason bootTimeout(Duration timeout, String readinessPath, List<String> lastOutput) {
    String what = readinessPath == null
        ? "did not listen on $PORT"
        : "did not answer 2xx to GET " + readinessPath;
    return new ExitReason(Kind.BOOT_TIMEOUT, what + " within " + seconds(timeout), lastOutput);
  }

  public static ExitReason failedToStart(String why) {
    return new ExitReason(Kind.FAILED_TO_START, "failed to start: " + why, List.of());
  }

  public static ExitReason stoppedByPlatform() {
    return new ExitReason(Kind.STOPPED, "stopped by the platform", List.of());
  }

  /** True unless the platform stopped it. */
  public boolean crash() {
    return kind != Kind.STOPPED;
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    return (millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0)) + " s";
  }
}
