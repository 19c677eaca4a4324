package dev.pier.deploy;

import dev.pier.logs.LogBus;
import dev.pier.model.InstanceState;
import dev.pier.runtime.InstanceListener;
import java.util.function.Supplier;

/**
 * Feeds instance output and lifecycle into the app's log stream, republishes routes when an
 * instance starts or stops taking traffic, and tells the reconciler of every state change.
 */
public final class InstanceEvents implements InstanceListener {
  private final LogBus logs;
  private final Supplier<Runnable> publishRoutes;
  private final java.util.function.Consumer<String> changed;

  public InstanceEvents(LogBus logs, Supplier<Runnable> publishRoutes) {
    this(logs, publishRoutes, app -> {});
  }

  /** {@code changed} hears the app of every state change (the reconciler, in the server). */
  public InstanceEvents(LogBus logs, Supplier<Runnable> publishRoutes, java.util.function.Consumer<String> changed) {
    this.logs = logs;
    this.publishRoutes = publishRoutes;
    this.changed = changed;
  }

  @Override
  public void output(String app, String instance, String line) {
    logs.append(app, "app", instance, line);
  }

  @Override
  public void event(String app, String instance, String message) {
    logs.platform(app, instance, message);
  }

  private static String name(InstanceState state) {
    return state == null ? "down" : state.wireName();
  }

  @Override
  public void stateChanged(
      String app, String instance, InstanceState from, InstanceState to, String reason) {
    if (reason != null && !reason.isBlank()) logs.platform(app, instance, reason);
    if (from != to) {
      logs.platform(app, instance, "State changed from " + name(from) + " to " + name(to));
    }
    if (from == InstanceState.UP || to == InstanceState.UP || to == null) {
      Runnable publish = publishRoutes.get();
      if (publish != null) publish.run();
    }
    changed.accept(app);
  }
}
