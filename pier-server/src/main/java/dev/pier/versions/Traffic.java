package dev.pier.versions;

import dev.pier.model.SplitBy;
import dev.pier.errors.PlatformException;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an app's public traffic is split: whole percentages per version summing to 100 (or no
 * entries before the first release), and the split method.
 */
public record Traffic(SplitBy splitBy, Map<Integer, Integer> allocations) {
  public Traffic {
    allocations = java.util.Collections.unmodifiableMap(new TreeMap<>(allocations));
  }

  /** Validates user-given shares: each 0 to 100, summing to 100; at least one version. */
  public static Traffic validated(SplitBy splitBy, Map<Integer, Integer> allocations) {
    if (allocations.isEmpty()) throw PlatformException.invalid("no versions given, e.g. v3=90 v4=10");
    int sum = 0;
    Map<Integer, Integer> kept = new TreeMap<>();
    for (Map.Entry<Integer, Integer> e : allocations.entrySet()) {
      int percent = e.getValue();
      if (percent < 0 || percent > 100) {
        throw PlatformException.invalid("share of v" + e.getKey() + " must be 0 to 100, not " + percent);
      }
      sum += percent;
      if (percent > 0) kept.put(e.getKey(), percent);
    }
    if (sum != 100) throw PlatformException.invalid("shares must add up to 100, not " + sum);
    return new Traffic(splitBy, kept);
  }

  public int percent(int version) {
    return allocations.getOrDefault(version, 0);
  }

  /** The version with the largest share (the newest on a tie), or 0 when none has traffic. */
  public int main() {
    int best = 0;
    int bestShare = -1;
    for (Map.Entry<Integer, Integer> e : allocations.entrySet()) {
      if (e.getValue() >= bestShare) {
        best = e.getKey();
        bestShare = e.getValue();
      }
    }
    return best;
  }

  /** This split with {@code to} taking over the share of {@code from} (or all if from has none). */
  public Traffic replacing(int from, int to) {
    Map<Integer, Integer> next = new TreeMap<>(allocations);
    Integer share = next.remove(from);
    if (share == null) return new Traffic(splitBy, Map.of(to, 100));
    next.merge(to, share, Integer::sum);
    return new Traffic(splitBy, next);
  }
}
