package dev.pier.control;

import dev.pier.runtime.InstanceSpec;
import java.util.Optional;

/**
 * Turns a slot into what the runtime backend starts: the release's slug and command, the app's
 * config, user and limits. Empty when the slot cannot run (its release or slug is gone).
 */
@FunctionalInterface
public interface SpecSource {
  Optional<InstanceSpec> spec(String app, Slot slot, int generation);
}
