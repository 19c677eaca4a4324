package dev.pier.release;

import dev.pier.app.App;
import dev.pier.errors.PlatformException;

/** Read access to an app's releases. */
public final class ReleaseService {
  private final ReleaseStore store;

  public ReleaseService(ReleaseStore store) {
    this.store = store;
  }

  /** The current release; 409 when the app was never deployed. */
  public Release current(App app) {
    if (!app.hasRelease()) {
      throw PlatformException.conflict(
          "app '" + app.name() + "' has no release yet: deploy it first (git push or pier deploy)");
    }
    return store.find(app.name(), app.currentRelease())
        .orElseThrow(() -> new IllegalStateException("release v" + app.currentRelease() + " missing"));
  }
}
