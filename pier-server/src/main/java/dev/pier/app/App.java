package dev.pier.app;

import dev.pier.model.AppName;
import dev.pier.sandbox.AppUser;
import java.time.Instant;

/**
 * A stored app: its name, the host uid its code runs as, its current release (0 = none) and its
 * readiness check path setting (null = none; then app.yaml's, else only the port is checked).
 */
public record App(AppName name, int uid, Instant createdAt, int currentRelease, String readinessPath) {
  public AppUser user() {
    return new AppUser(uid, uid);
  }

  public boolean hasRelease() {
    return currentRelease > 0;
  }
}
