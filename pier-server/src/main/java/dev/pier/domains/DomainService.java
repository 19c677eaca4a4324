package dev.pier.domains;

import dev.pier.errors.PlatformException;
import dev.pier.model.AppName;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * Adds, lists and removes an app's custom domains; each change republishes the routes
 * ({@code publish}) so the router answers at the new names at once.
 */
public final class DomainService {
  private final DomainStore store;
  private final HostNames names;
  private final Runnable publish;
  private final InstantSource clock;

  public DomainService(DomainStore store, HostNames names, Runnable publish, InstantSource clock) {
    this.store = store;
    this.names = names;
    this.publish = publish;
    this.clock = clock;
  }

  private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Also runs {@code listener} after each added or removed domain (certificates follow domains). */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  private void changed() {
    publish.run();
    listeners.forEach(Runnable::run);
  }

  /** {@code app}'s custom domains, by host name. */
  public List<DomainStore.Domain> list(AppName app) {
    return store.of(app);
  }

  /** Every app's custom domain host names, by app name (for the route table). */
  public Map<String, List<String>> all() {
    return store.all();
  }

  /** Adds {@code hostname} to {@code app}: 422 if it is not a valid custom domain, 409 if taken. */
  public DomainStore.Domain add(AppName app, String hostname) {
    String h = names.validate(hostname);
    if (!store.add(app, h, clock.instant())) {
      String owner = store.owner(h).orElse("another app");
      throw PlatformException.conflict(owner.equals(app.value())
          ? h + " is already a domain of " + app
          : h + " is already a domain of app " + owner + "; remove it there first (pier domains:remove " + h
              + " -a " + owner + ")");
    }
    changed();
    return store.of(app).stream().filter(d -> d.hostname().equals(h)).findFirst().orElseThrow();
  }

  /** Removes {@code hostname} from {@code app}: 404 if the app does not have it. */
  public void remove(AppName app, String hostname) {
    String h = HostNames.normalize(hostname);
    if (!store.remove(app, h)) throw PlatformException.notFound(h + " is not a domain of " + app);
    changed();
  }
}
