package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands requests of each app to its backends in turn. The turn counter is kept per app name, so
 * it survives route table swaps; when instances are added or removed the rotation simply continues
 * over the new list.
 */
public final class RoundRobin implements LoadBalancer {
  private final ConcurrentHashMap<String, AtomicInteger> turns = new ConcurrentHashMap<>();

  @Override
  public Backend pick(Route route, Backend exclude) {
    List<Backend> backends = route.backends();
    int size = backends.size();
    if (size == 0) return null;
    AtomicInteger turn = turns.computeIfAbsent(route.app(), app -> new AtomicInteger());
    int start = Math.floorMod(turn.getAndIncrement(), size);
    for (int i = 0; i < size; i++) {
      Backend candidate = backends.get((start + i) % size);
      if (!candidate.equals(exclude)) return candidate;
    }
    return null;
  }
}
