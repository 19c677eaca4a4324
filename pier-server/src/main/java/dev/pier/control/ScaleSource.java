package dev.pier.control;

/**
 * The instance count of a process type that something other than the formation decides: the
 * autoscaler, for types that autoscale. Consulted for every pass, so it must be cheap.
 */
@FunctionalInterface
public interface ScaleSource {
  /** Keeps the formation's count. */
  ScaleSource NONE = (app, version, type, fallback) -> fallback;

  /**
   * The count {@code type} of {@code version} of {@code app} should run; {@code fallback} (the
   * formation's count) when this source has not decided one.
   */
  int count(String app, int version, String type, int fallback);
}
