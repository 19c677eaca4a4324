package dev.pier.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One release of an app, as {@code GET /apps/{app}/releases} returns it; {@code configKeys} and
 * {@code versionUrl}, {@code buildpack}, {@code language}, {@code runtime} (such as {@code Node.js
 * 22.12.0}) and {@code build} (what built its slug)
 * come only from {@code GET /apps/{app}/releases/{version}}. Fields a server
 * did not send are null.
 *
 * @param state {@code current}, {@code serving}, {@code running}, {@code stopped} or {@code failed}
 * @param percent its share of the public traffic, 0 to 100
 */
record Release(
    int version,
    String description,
    Instant createdAt,
    String createdBy,
    Map<String, String> processes,
    boolean current,
    String state,
    Integer percent,
    Boolean running,
    Integer instances,
    Boolean slugAvailable,
    List<String> configKeys,
    String versionUrl,
    String buildpack,
    String language,
    Integer build,
    String runtime) {
  Release {
    processes = processes == null ? Map.of() : processes;
    configKeys = configKeys == null ? List.of() : configKeys;
  }

  /** Whether this is the promoted release, by its state or, from older servers, its flag. */
  boolean isCurrent() {
    return state == null ? current : state.equals("current");
  }

  /**
   * Returns the state as {@code releases} shows it: {@code current}, {@code current, 90%},
   * {@code serving 10%}, {@code running}, {@code stopped} or {@code failed}.
   */
  String stateLabel() {
    if (isCurrent()) {
      return percent == null || percent == 100 ? "current" : "current, " + percent + "%";
    }
    if (state == null) {
      return "";
    }
    if (state.equals("serving") && percent != null) {
      return "serving " + percent + "%";
    }
    return state;
  }
}
