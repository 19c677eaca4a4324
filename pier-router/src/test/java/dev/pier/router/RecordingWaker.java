package dev.pier.router;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records wake-ups as {@code app:version} so tests can wait for them. */
final class RecordingWaker implements Waker {
  private final LinkedBlockingQueue<String> woken = new LinkedBlockingQueue<>();

  @Override
  public void wake(String app, int version) {
    woken.add(app + ":" + version);
  }

  /** Returns the next wake-up, waiting up to 5 s; fails if none comes. */
  String next() throws InterruptedException {
    String next = woken.poll(5, TimeUnit.SECONDS);
    if (next == null) throw new AssertionError("nothing woken within 5 s");
    return next;
  }

  /** Returns the wake-ups not yet taken by {@link #next}, without waiting. */
  int pending() {
    return woken.size();
  }
}
