package dev.pier.autoscale;

import java.util.Locale;

/** Whether the decider follows the stable average or reacts to a burst in the panic window. */
public enum Mode {
  /** Sized by the stable window's average; scales up and down. */
  STABLE,
  /** A burst reached 200% of the target in the panic window: scales up only. */
  PANIC;

  /** Returns the API's name: {@code stable} or {@code panic}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
