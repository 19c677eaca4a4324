package dev.pier.routersettings;

import dev.pier.errors.PlatformException;
import dev.pier.model.AppName;
import dev.pier.model.RouteLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shows, sets and resets an app's router settings, and gives the router every app's {@link
 * RouteLimits}. A change is validated whole (nothing is stored if any value is wrong), stored,
 * then published to the router (the next request of the app sees it). Thread-safe.
 */
public final class RouterSettingsService {
  private final RouterSettingsStore store;
  private final RouterDefaults defaults;
  private final Runnable publish;

  /**
   * @param publish publishes a new route table (which reads {@link #limits()}) after a change
   */
  public RouterSettingsService(RouterSettingsStore store, RouterDefaults defaults, Runnable publish) {
    this.store = store;
    this.defaults = defaults;
    this.publish = publish;
  }

  /** One setting of one app as shown: its value, the router's default and whether it is its own. */
  public record View(RouterSetting setting, Long value, Long defaultValue, boolean own) {}

  /** Every setting of {@code app}, per-app ones first. */
  public List<View> view(AppName app) {
    Map<RouterSetting, Long> own = store.of(app);
    List<View> views = new ArrayList<>();
    for (RouterSetting s : RouterSetting.values()) {
      Long value = own.get(s);
      views.add(new View(s, value != null ? value : defaults.of(s), defaults.of(s), value != null));
    }
    return views;
  }

  /**
   * Sets {@code values} ({@code request-timeout=60s} style: key to text) for {@code app}; all or
   * none.
   *
   * @throws PlatformException (invalid) for an unknown or router-wide key or a value out of range
   */
  public List<View> set(AppName app, Map<String, String> values) {
    if (values.isEmpty()) throw PlatformException.invalid("no setting given, e.g. request-timeout=60s");
    Map<RouterSetting, Long> parsed = new EnumMap<>(RouterSetting.class);
    for (Map.Entry<String, String> e : values.entrySet()) {
      RouterSetting s = settable(e.getKey());
      parsed.put(s, parse(s, e.getValue()));
    }
    store.update(app, parsed, List.of());
    publish.run();
    return view(app);
  }

  /** Puts {@code keys} of {@code app} back to the router's defaults; all or none. */
  public List<View> reset(AppName app, List<String> keys) {
    if (keys.isEmpty()) throw PlatformException.invalid("no setting given, e.g. request-timeout");
    Set<RouterSetting> reset = new LinkedHashSet<>();
    for (String key : keys) reset.add(settable(key));
    store.update(app, Map.of(), reset);
    publish.run();
    return view(app);
  }

  /** The router limits of every app with settings of its own, by app name. */
  public Map<String, RouteLimits> limits() {
    Map<String, RouteLimits> limits = new HashMap<>();
    store.all().forEach((app, own) -> limits.put(app, toLimits(own)));
    return limits;
  }

  static RouteLimits toLimits(Map<RouterSetting, Long> own) {
    return new RouteLimits(millis(own.get(RouterSetting.REQUEST_TIMEOUT)),
        millis(own.get(RouterSetting.IDLE_TIMEOUT)),
        millis(own.get(RouterSetting.TUNNEL_IDLE_TIMEOUT)),
        own.getOrDefault(RouterSetting.MAX_BODY, 0L));
  }

  private static Duration millis(Long value) {
    return value == null ? null : Duration.ofMillis(value);
  }

  private static RouterSetting settable(String key) {
    RouterSetting s = RouterSetting.byKey(key);
    if (s == null) {
      throw PlatformException.invalid("unknown router setting '" + key + "'; settable per app: "
          + String.join(", ", perAppKeys()));
    }
    if (!s.perApp()) {
      throw PlatformException.invalid(s.key() + " is router-wide (it applies before the router knows"
          + " the app): the operator sets it; settable per app: " + String.join(", ", perAppKeys()));
    }
    return s;
  }

  private static long parse(RouterSetting s, String text) {
    boolean duration = s.kind() == RouterSetting.Kind.DURATION;
    long value = text == null ? -1
        : duration ? SettingValues.parseMillis(text) : SettingValues.parseBytes(text);
    if (value < 0) {
      throw PlatformException.invalid(s.key() + " must be " + (duration
          ? "a duration like 500ms, 60s, 2m or 1h" : "a size like 1024, 512KB, 50MB or 1GB")
          + " (allowed: " + s.range() + "), not '" + text + "'");
    }
    if (value < s.min() || value > s.max()) {
      throw PlatformException.invalid(s.key() + " must be from " + s.range() + ", not " + text.trim());
    }
    return value;
  }

  private static List<String> perAppKeys() {
    return Arrays.stream(RouterSetting.values()).filter(RouterSetting::perApp)
        .map(RouterSetting::key).toList();
  }
}
