package dev.pier.control;

import java.util.List;

/** Where the reconciler reads what should run: the store, in the server. */
public interface DesiredSource {
  /** Every app that exists. */
  List<String> apps();

  /** What should run for {@code app}; {@link DesiredApp#nothing} when it is gone. */
  DesiredApp desired(String app);
}
