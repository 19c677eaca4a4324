package dev.pier.previews;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One branch's preview as stored.
 *
 * @param branch the git branch, as pushed ({@code feature/x})
 * @param label its host label ({@code feature-x}): the preview answers at LABEL.APP.DOMAIN
 * @param version the release serving it
 * @param commit the commit it was built from
 * @param overrides config vars set for this preview only, over the app's
 * @param asleep stopped for being idle; the next request wakes it
 * @param lastRequest when the router last passed it a request, or null if never
 */
public record Preview(
    String app, String branch, String label, int version, String commit, Map<String, String> overrides,
    boolean asleep, Instant lastRequest, Instant createdAt, Instant updatedAt) {
  public Preview {
    overrides = java.util.Collections.unmodifiableMap(new TreeMap<>(overrides));
  }

  Preview serving(int newVersion, String newCommit, Map<String, String> newOverrides, Instant now) {
    return new Preview(app, branch, label, newVersion, newCommit, newOverrides, false, lastRequest, createdAt, now);
  }

  /** When it last showed it is wanted: its last request, or its last deploy if later. */
  Instant lastActive() {
    return lastRequest == null || updatedAt.isAfter(lastRequest) ? updatedAt : lastRequest;
  }
}
