package dev.pier.build;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A build's output collected for assertions ({@link #lines()}, written through {@link #out()})
 * and printed after each test, so a failing build can be read in the test report. Register it
 * with {@code @RegisterExtension}.
 */
final class BuildLog implements AfterEachCallback {
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final BuildOutput out = BuildOutput.collecting(lines);

  List<String> lines() {
    return lines;
  }

  BuildOutput out() {
    return out;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.out.println("== " + context.getDisplayName());
    synchronized (lines) {
      lines.forEach(System.out::println);
    }
  }
}
