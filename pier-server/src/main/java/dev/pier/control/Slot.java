package dev.pier.control;

import dev.pier.runtime.InstanceStatus;

/**
 * A place for one instance: version {@code version} of the app runs instance {@code index} of
 * process type {@code type}. Several instances may fill a slot for a while (a replacement starting
 * beside the one it replaces); the planner keeps one.
 */
public record Slot(int version, String type, int index) {
  public Slot {
    if (index < 1) throw new IllegalArgumentException("index must be 1 or more: " + index);
  }

  public static Slot of(InstanceStatus s) {
    return new Slot(s.release(), s.type(), s.index());
  }

  /** {@code TYPE.INDEX}, as instances are named. */
  public String name() {
    return type + "." + index;
  }
}
