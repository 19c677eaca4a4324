package dev.pier.router;

/**
 * The load of one app version as the router saw it at one moment (see {@link RouterLoad}).
 *
 * @param app the app's name
 * @param version the version number
 * @param inFlight requests of this version in the router now: assigned to an instance (from the
 *     moment it was chosen until the exchange ends; an open WebSocket counts until it closes) or
 *     held waiting for one. As Knative's activator does, held requests count as load
 * @param held of {@code inFlight}, the requests held now because the version has no instance yet
 * @param completed requests of this version that ended, in any way (answered, failed, timed out
 *     while held, client gone), since the router started; monotonic, for requests per second
 * @param concurrencyMicros the integral over time of {@code inFlight}, in request-microseconds,
 *     since the router started; monotonic. Between two snapshots, its difference divided by the
 *     elapsed microseconds is exactly the average number of requests in flight meanwhile
 */
public record VersionLoad(
    String app, int version, int inFlight, int held, long completed, long concurrencyMicros) {

  /** An idle version: nothing seen since the router started (or since its counters restarted). */
  public static VersionLoad idle(String app, int version) {
    return new VersionLoad(app, version, 0, 0, 0, 0);
  }
}
