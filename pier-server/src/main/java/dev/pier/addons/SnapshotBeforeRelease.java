package dev.pier.addons;

import dev.pier.app.App;
import dev.pier.build.BuildOutput;
import dev.pier.deploy.ReleasePhase;
import dev.pier.errors.PlatformException;
import dev.pier.release.Release;
import java.util.Optional;

/**
 * Snapshot before release: when an app with a PostgreSQL add-on has a release phase, a backup of
 * each PostgreSQL add-on it owns (not those of other apps it is attached to) is captured just before the phase runs (trigger {@code release},
 * the release's version), so {@code pier rollback vN --with-data} can bring back the data as vN
 * left it. A failed snapshot fails the release: its phase would change data with no way back.
 */
public final class SnapshotBeforeRelease implements ReleasePhase {
  private final ReleasePhase phase;
  private final AddonService addons;
  private final BackupService backups;

  public SnapshotBeforeRelease(ReleasePhase phase, AddonService addons, BackupService backups) {
    this.phase = phase;
    this.addons = addons;
    this.backups = backups;
  }

  @Override
  public Optional<String> run(App app, Release release, BuildOutput out) throws InterruptedException {
    if (ReleasePhase.declared(release)) {
      for (AddonService.Info i : addons.of(app.name())) {
        if (!i.addon().kind().equals("postgres") || !i.addon().state().equals(Addon.READY)) continue;
        if (!i.addon().ownerApp().equals(app.name().value())) {
          out.info("No snapshot of " + i.addon().name() + ": it belongs to " + i.addon().ownerApp()
              + " (rollback --with-data leaves it as it is)");
          continue;
        }
        try {
          BackupStore.Backup b = backups.capture(i.addon().name(), "release", release.version(), app.name().value(), "pier");
          out.info("Captured " + b.id() + " of " + i.addon().name() + " before the release phase of v"
              + release.version());
        } catch (PlatformException e) {
          return Optional.of("snapshot before release failed: " + e.getMessage());
        }
      }
    }
    return phase.run(app, release, out);
  }
}
