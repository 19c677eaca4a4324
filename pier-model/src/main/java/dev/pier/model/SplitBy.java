package dev.pier.model;

import java.util.Locale;

/**
 * How the router assigns requests to versions when traffic is split, as App Engine does.
 *
 * <ul>
 *   <li>{@link #RANDOM}: each request independently, by the shares;
 *   <li>{@link #COOKIE}: each client by a cookie the router sets, so one client sees one version;
 *   <li>{@link #IP}: each client by a hash of its address.
 * </ul>
 */
public enum SplitBy {
  RANDOM,
  COOKIE,
  IP;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code random}, {@code cookie} or {@code ip}; throws with a message naming the value. */
  public static SplitBy parse(String value) {
    for (SplitBy s : values()) {
      if (s.wireName().equals(value)) return s;
    }
    throw new IllegalArgumentException(
        "invalid split method '" + AppName.printable(value) + "': use random, cookie or ip");
  }
}
