package dev.pier.control;

import java.util.List;

/** What the reconciler does next for one app; empty when what runs matches what should. */
public record Plan(List<Action> actions) {
  public Plan {
    actions = List.copyOf(actions);
  }

  public boolean isEmpty() {
    return actions.isEmpty();
  }

  public <T extends Action> List<T> of(Class<T> kind) {
    return actions.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
