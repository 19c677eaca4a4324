package dev.pier.drains;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every drop report, noting which thread made it. */
final class RecordingDropReporter implements DropReporter {
  record Report(String app, String url, long count, String reason, String thread, long nanos) {}

  final List<Report> reports = new CopyOnWriteArrayList<>();

  @Override
  public void dropped(String app, String url, long count, String reason) {
    reports.add(new Report(app, url, count, reason, Thread.currentThread().getName(),
        System.nanoTime()));
  }

  long total() {
    return reports.stream().mapToLong(Report::count).sum();
  }

  long total(String reasonPrefix) {
    return reports.stream().filter(r -> r.reason().startsWith(reasonPrefix))
        .mapToLong(Report::count).sum();
  }
}
