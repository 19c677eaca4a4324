package dev.pier.logstore;

/**
 * Told when lines could not be stored because writing the index failed (a full disk, an I/O
 * error), so the loss can be shown where the app's owner looks: its log stream.
 *
 * <p>Called by the store's background thread, at most once a second per app, with the lines lost
 * since the previous call. MUST NOT block; exceptions are logged and ignored. Lines it appends to
 * the store from process {@link LogStore#REPORT_PROCESS} are not themselves counted when the store
 * cannot keep them, so a report does not report itself.
 */
@FunctionalInterface
public interface NotStoredListener {
  NotStoredListener NONE = (app, count, reason) -> {};

  /**
   * {@code count} lines of {@code app} were not stored; {@code reason} is the failure as the system
   * put it, e.g. {@code No space left on device}.
   */
  void linesNotStored(String app, long count, String reason);
}
