package dev.pier.routersettings;

import dev.pier.router.ClientLimits;
import dev.pier.router.RouterConfig;
import java.util.EnumMap;
import java.util.Map;

/**
 * The router's own value of each setting (what an app gets without its own), read from the
 * running router's {@link RouterConfig}. {@code max-body} has none: no limit.
 */
public final class RouterDefaults {
  private final Map<RouterSetting, Long> values = new EnumMap<>(RouterSetting.class);

  public RouterDefaults(RouterConfig config) {
    values.put(RouterSetting.REQUEST_TIMEOUT, config.responseTimeout().toMillis());
    values.put(RouterSetting.IDLE_TIMEOUT, config.idleTimeout().toMillis());
    values.put(RouterSetting.TUNNEL_IDLE_TIMEOUT, config.tunnelIdleTimeout().toMillis());
    values.put(RouterSetting.HEADER_TIMEOUT, config.clientLimits().headTimeout().toMillis());
    values.put(RouterSetting.MAX_HEADER_SIZE, (long) ClientLimits.MAX_HEADER_BYTES);
    values.put(RouterSetting.MAX_REQUEST_LINE, (long) ClientLimits.MAX_REQUEST_LINE_BYTES);
  }

  /** The router's value of {@code setting}, or null for no limit. */
  public Long of(RouterSetting setting) {
    return values.get(setting);
  }
}
