package dev.pier.addons;

import dev.pier.errors.PlatformException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Names of add-ons and of the config vars they give apps. An add-on is {@code KIND-COLOR-NUMBER}
 * unless named with {@code --as}. The first add-on of a kind on an app gets the well-known vars
 * ({@code DATABASE_URL}, {@code REDIS_URL}, {@code MEMCACHIER_*}, {@code CLOUDAMQP_URL} and {@code
 * RABBITMQ_URL}); a further one {@code PIER_KIND_COLOR_SUFFIX} ({@code PIER_POSTGRES_AMBER_URL}).
 */
public final class AddonNames {
  static final List<String> COLORS = List.of("amber", "aqua", "black", "blue", "bronze", "brown", "charcoal",
      "cobalt", "copper", "coral", "crimson", "cyan", "gold", "gray", "green", "indigo", "ivory", "jade", "lime",
      "magenta", "maroon", "navy", "olive", "onyx", "orange", "pink", "plum", "purple", "red", "rose", "ruby",
      "sapphire", "silver", "teal", "violet", "white", "yellow");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{1,38}[a-z0-9]");
  private static final Map<String, String> DEFAULT_ALIAS =
      Map.of("postgres", "DATABASE", "redis", "REDIS", "memcached", "MEMCACHIER", "rabbitmq", "CLOUDAMQP");

  private final RandomGenerator random;

  public AddonNames(RandomGenerator random) {
    this.random = random;
  }

  /** A new name for an add-on of {@code kind}: {@code postgres-amber-41213}. */
  public String generate(String kind) {
    return kind + "-" + COLORS.get(random.nextInt(COLORS.size())) + "-" + (10000 + random.nextInt(90000));
  }

  /** {@code name} if it is a valid add-on name, else a 422. */
  public static String validate(String name) {
    if (name == null || !NAME.matcher(name).matches() || name.contains("--")) {
      throw PlatformException.invalid("invalid add-on name '" + String.valueOf(name).replaceAll("[^\\x20-\\x7e]", "?")
          + "': use 3 to 40 lowercase letters, digits and single dashes, starting with a letter");
    }
    return name;
  }

  /**
   * The alias an add-on gets on an app that already uses {@code taken}: the kind's well-known one
   * if free, else {@code PIER_KIND_COLOR} with the add-on name's color (or a free one).
   */
  public static String alias(String kind, String addonName, Set<String> taken) {
    String first = DEFAULT_ALIAS.getOrDefault(kind, "PIER_" + kind.toUpperCase());
    if (!taken.contains(first)) return first;
    String prefix = "PIER_" + kind.toUpperCase() + "_";
    for (String part : addonName.split("-")) {
      if (COLORS.contains(part) && !taken.contains(prefix + part.toUpperCase())) return prefix + part.toUpperCase();
    }
    int start = Math.floorMod(addonName.hashCode(), COLORS.size());
    for (int i = 0; i < COLORS.size(); i++) {
      String candidate = prefix + COLORS.get((start + i) % COLORS.size()).toUpperCase();
      if (!taken.contains(candidate)) return candidate;
    }
    for (int n = 2; ; n++) {
      if (!taken.contains(prefix + n)) return prefix + n;
    }
  }

  /**
   * The config vars of an attachment, from the data store's vars by suffix: {@code ALIAS_SUFFIX};
   * for the well-known aliases, memcached without SASL gives {@code MEMCACHE_SERVERS} and RabbitMQ
   * also {@code RABBITMQ_URL}.
   */
  public static Map<String, String> vars(String alias, Map<String, String> bySuffix) {
    Map<String, String> vars = new LinkedHashMap<>();
    String prefix = alias;
    if (alias.equals("MEMCACHIER") && !bySuffix.containsKey("USERNAME")) prefix = "MEMCACHE";
    for (var e : new java.util.TreeMap<>(bySuffix).entrySet()) vars.put(prefix + "_" + e.getKey(), e.getValue());
    if (alias.equals("CLOUDAMQP") && bySuffix.containsKey("URL")) vars.put("RABBITMQ_URL", bySuffix.get("URL"));
    return vars;
  }
}
