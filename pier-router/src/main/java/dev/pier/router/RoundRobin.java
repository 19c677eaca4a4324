package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.VersionRoute;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands requests of each app version to its backends in turn. The turn counter is kept per app
 * name and version number, so it survives route table swaps; when instances are added or removed
 * the rotation simply continues over the new list.
 */
public final class RoundRobin implements LoadBalancer {
  private final ConcurrentHashMap<String, AtomicInteger> turns = new ConcurrentHashMap<>();

  @Override
  public Backend pick(String app, VersionRoute version, Backend exclude) {
    List<Backend> backends = version.backends();
    int size = backends.size();
    if (size == 0) return null;
    AtomicInteger turn =
        turns.computeIfAbsent(app + "@" + version.version(), key -> new AtomicInteger());
    int start = Math.floorMod(turn.getAndIncrement(), size);
    for (int i = 0; i < size; i++) {
      Backend candidate = backends.get((start + i) % size);
      if (!candidate.equals(exclude)) return candidate;
    }
    return null;
  }
}
