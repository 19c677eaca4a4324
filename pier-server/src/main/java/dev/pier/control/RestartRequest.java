package dev.pier.control;

import dev.pier.runtime.InstanceStatus;

/**
 * A rolling restart asked for: every matching instance started before {@code generation} is
 * replaced by a new one, which starts beside it; the old one is drained once the new one is up.
 *
 * @param target null for every instance, a process type ({@code web}) or an instance name
 *     ({@code web.1})
 * @param version null for every version, else only instances of that version
 * @param generation instances of this generation or newer are not affected (they were started
 *     for the restart, or after it)
 */
public record RestartRequest(String target, Integer version, long generation) {
  public boolean outdates(InstanceStatus s) {
    return matchesTarget(s) && Generations.of(s.id()) < generation;
  }

  /** The instance is of the target (type or name) and version, whatever its generation. */
  public boolean matchesTarget(InstanceStatus s) {
    if (version != null && s.release() != version) return false;
    return target == null || target.equals(s.type()) || target.equals(s.name());
  }
}
