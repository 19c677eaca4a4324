package dev.pier.app;

import dev.pier.model.AppName;
import dev.pier.sandbox.AppUser;
import java.time.Instant;

/** A stored app: its name, the host uid its code runs as, and its current release (0 = none). */
public record App(AppName name, int uid, Instant createdAt, int currentRelease) {
  public AppUser user() {
    return new AppUser(uid, uid);
  }

  public boolean hasRelease() {
    return currentRelease > 0;
  }
}
