package dev.pier.features;

import dev.pier.errors.PlatformException;
import dev.pier.model.AppName;
import dev.pier.model.RouteHttps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lists and switches an app's features, and gives the router every app's {@link RouteHttps}. A
 * change is stored, then published (the app's next request sees it). Thread-safe.
 */
public final class FeatureService {
  private final FeatureStore store;
  private final Runnable publish;

  /** @param publish publishes a new route table (which reads {@link #https()}) after a change */
  public FeatureService(FeatureStore store, Runnable publish) {
    this.store = store;
    this.publish = publish;
  }

  /** One feature of one app as shown. */
  public record View(Feature feature, boolean enabled) {}

  /** Every feature of {@code app}, on or off. */
  public List<View> list(AppName app) {
    Set<Feature> on = store.of(app);
    List<View> views = new ArrayList<>();
    for (Feature f : Feature.values()) views.add(new View(f, on.contains(f)));
    return views;
  }

  /**
   * Switches feature {@code name} of {@code app} on or off and returns its new view.
   *
   * @throws PlatformException (not found) for a feature name Pier does not know
   */
  public View set(AppName app, String name, boolean enabled) {
    Feature f = feature(name);
    store.set(app, f, enabled);
    publish.run();
    return new View(f, enabled);
  }

  /** The view of feature {@code name} of {@code app}; 404 for an unknown name. */
  public View get(AppName app, String name) {
    Feature f = feature(name);
    return new View(f, store.of(app).contains(f));
  }

  /** The HTTPS features of every app with any on, by app name. */
  public Map<String, RouteHttps> https() {
    Map<String, RouteHttps> https = new HashMap<>();
    store.all().forEach((app, on) -> https.put(app,
        new RouteHttps(on.contains(Feature.HTTPS_ONLY), on.contains(Feature.HSTS))));
    return https;
  }

  private static Feature feature(String name) {
    Feature f = Feature.byKey(name);
    if (f == null) {
      throw PlatformException.notFound("no such feature '" + name + "'; features: "
          + String.join(", ", Feature.keys()) + " (see pier features -a APP)");
    }
    return f;
  }
}
