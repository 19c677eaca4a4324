package dev.pier.oneoff;

import java.time.Duration;
import java.time.Instant;

/**
 * A started one-off process.
 *
 * @param app the app it belongs to
 * @param name its instance name, {@code TYPE.N} ({@code run.3}); also its id in the runtime
 * @param command what it runs
 * @param release the release version it runs
 * @param startedAt when it was started
 * @param timeLimit how long it may run; it is stopped at {@code startedAt + timeLimit}
 * @param attached true when a client attaches to its streams
 */
public record OneOff(
    String app, String name, String command, int release, Instant startedAt, Duration timeLimit,
    boolean attached) {
  /** When it is stopped unless it ended before. */
  public Instant deadline() {
    return startedAt.plus(timeLimit);
  }
}
