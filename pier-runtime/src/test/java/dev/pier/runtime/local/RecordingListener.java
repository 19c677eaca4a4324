package dev.pier.runtime.local;

import dev.pier.model.InstanceState;
import dev.pier.runtime.InstanceListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/** Records every callback and lets tests wait for them. */
final class RecordingListener implements InstanceListener {
  record Change(String app, String instance, InstanceState from, InstanceState to, String reason) {}

  record Line(String app, String instance, String text) {}

  private final List<Change> changes = new ArrayList<>();
  private final List<Line> lines = new ArrayList<>();
  private final List<Line> events = new ArrayList<>();
  private final Map<Change, Long> times = new IdentityHashMap<>();

  @Override
  public synchronized void output(String app, String instance, String line) {
    lines.add(new Line(app, instance, line));
    notifyAll();
  }

  @Override
  public synchronized void stateChanged(
      String app, String instance, InstanceState from, InstanceState to, String reason) {
    Change change = new Change(app, instance, from, to, reason);
    changes.add(change);
    times.put(change, System.nanoTime());
    notifyAll();
  }

  @Override
  public synchronized void event(String app, String instance, String message) {
    events.add(new Line(app, instance, message));
    notifyAll();
  }

  /** Waits until an event of the instance matches {@code match} and returns its message. */
  synchronized String awaitEvent(String app, String instance, Predicate<String> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Line e : events) {
        if (e.app().equals(app) && e.instance().equals(instance) && match.test(e.text())) return e.text();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out waiting for an event of " + app + "/" + instance
            + "; events: " + events + "; changes: " + changes(app, instance));
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** When the change was reported, in {@link System#nanoTime()} units. */
  synchronized long nanoTimeOf(Change change) {
    return times.get(change);
  }

  synchronized List<Change> changes(String app, String instance) {
    return changes.stream().filter(c -> c.app().equals(app) && c.instance().equals(instance)).toList();
  }

  synchronized List<Line> lines(String app, String instance) {
    return lines.stream().filter(l -> l.app().equals(app) && l.instance().equals(instance)).toList();
  }

  /** Waits for the {@code occurrence}-th (1-based) change of the instance into {@code to}. */
  Change awaitState(String app, String instance, InstanceState to, int occurrence, Duration timeout)
      throws InterruptedException {
    return awaitChange(
        app, instance, c -> Objects.equals(c.to(), to), occurrence, timeout, "state " + to);
  }

  Change awaitState(String app, String instance, InstanceState to) throws InterruptedException {
    return awaitState(app, instance, to, 1, Duration.ofSeconds(15));
  }

  synchronized Change awaitChange(
      String app, String instance, Predicate<Change> match, int occurrence, Duration timeout,
      String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Change> matching = changes(app, instance).stream().filter(match).toList();
      if (matching.size() >= occurrence) return matching.get(occurrence - 1);
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "timed out waiting for " + what + " of " + app + "/" + instance + "; changes: "
                + changes(app, instance) + "; output: " + lines(app, instance));
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
