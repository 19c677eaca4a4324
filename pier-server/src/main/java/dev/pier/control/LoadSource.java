package dev.pier.control;

import dev.pier.runtime.InstanceStatus;

/** How many requests the router has in flight to an instance. Cheap and thread-safe. */
@FunctionalInterface
public interface LoadSource {
  LoadSource NONE = s -> 0;

  int inFlight(InstanceStatus instance);
}
