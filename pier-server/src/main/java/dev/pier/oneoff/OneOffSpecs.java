package dev.pier.oneoff;

import dev.pier.runtime.InstanceSpec;

/** Makes the instance a one-off runs: the app's current release, its config, sandbox and size. */
@FunctionalInterface
public interface OneOffSpecs {
  /**
   * The task spec for run number {@code index} of {@code request} in the app's current release
   * (not yet interactive: the caller adds that).
   *
   * @throws dev.pier.errors.PlatformException 404 for an unknown app, 409 when it has no release
   */
  InstanceSpec spec(String app, OneOffRequest request, int index);
}
