package dev.pier.previews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.router.AccessLog;
import dev.pier.router.AccessLogEntry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the access log tells previews: requests to preview versions only, none once removed. */
class PreviewActivityTest {
  private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
  private final PreviewActivity activity = new PreviewActivity(InstantSource.fixed(NOW));
  private final AccessLog log = activity.tee(AccessLog.NONE);

  private static AccessLogEntry request(String app, int version) {
    return new AccessLogEntry(app, "GET", "/", "h", "id", "f", "web.1", version, 1, 2, 200, 5, null);
  }

  private static Preview preview(String app, String branch, int version) {
    return new Preview(app, branch, branch, version, "abc", Map.of(), false, null, NOW, NOW);
  }

  @Test
  void onlyRequestsToAVersionAPreviewServesAreRecorded() {
    activity.watch(List.of(preview("hello", "feature-x", 3)));
    log.log(request("hello", 1));
    log.log(request("other", 3));
    log.log(request("hello", 3));
    assertThat(activity.lastRequest("hello", 3)).isEqualTo(NOW);
    assertThat(activity.lastRequest("hello", 1)).isNull();
    assertThat(activity.recorded()).isEqualTo(1);
  }

  @Test
  void aPreviewJustDeployedIsWatchedAndOneRemovedIsForgotten() {
    activity.watch(preview("hello", "feature-x", 4));
    log.log(request("hello", 4));
    assertThat(activity.lastRequest("hello", 4)).isEqualTo(NOW);
    activity.watch(List.of());
    assertThat(activity.recorded()).isZero();
    log.log(request("hello", 4));
    assertThat(activity.recorded()).isZero();
  }
}
