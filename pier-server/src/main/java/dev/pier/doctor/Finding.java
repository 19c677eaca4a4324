package dev.pier.doctor;

/**
 * One mismatch {@link Doctor} found between the state store, the repositories and the files.
 *
 * @param app the app it concerns, or null for the platform
 * @param kind whether it was repaired, needs an operator, or was not checked
 */
public record Finding(String app, Kind kind, String message) {
  /** What became of a finding. */
  public enum Kind {
    /** Fixed; said so the change is not silent. */
    REPAIRED,
    /** Needs an operator or the app's owner. */
    PROBLEM,
    /** Not checked this time (a change of the app was in progress). */
    SKIPPED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static Finding repaired(String app, String message) {
    return new Finding(app, Kind.REPAIRED, message);
  }

  static Finding problem(String app, String message) {
    return new Finding(app, Kind.PROBLEM, message);
  }

  static Finding skipped(String app, String message) {
    return new Finding(app, Kind.SKIPPED, message);
  }
}
