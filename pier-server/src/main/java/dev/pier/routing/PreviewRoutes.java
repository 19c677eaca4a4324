package dev.pier.routing;

import dev.pier.model.AppName;
import java.util.Map;
import java.util.Set;

/**
 * #10 branch previews as the route table needs them: which versions of an app are previews
 * (never on the app's host or a version host) and the host each serving preview answers at.
 */
@FunctionalInterface
public interface PreviewRoutes {
  /** No previews. */
  PreviewRoutes NONE = app -> Of.NONE;

  /**
   * @param versions every version of the app built for a preview
   * @param hosts the version serving each preview -> its host ({@code feature-x.APP.DOMAIN})
   */
  record Of(Set<Integer> versions, Map<Integer, String> hosts) {
    public static final Of NONE = new Of(Set.of(), Map.of());

    public Of {
      versions = Set.copyOf(versions);
      hosts = Map.copyOf(hosts);
    }
  }

  Of of(AppName app);
}
