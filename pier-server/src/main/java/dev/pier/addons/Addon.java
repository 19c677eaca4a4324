package dev.pier.addons;

import dev.pier.datastores.Credentials;
import java.time.Instant;

/**
 * One stored add-on.
 *
 * @param name unique across kinds ({@code postgres-amber-41213}, or the name given with --as)
 * @param kind {@code postgres}, {@code redis}, {@code memcached}, {@code rabbitmq}
 * @param plan the plan's name
 * @param port its loopback port, from the add-on port range
 * @param uid the uid its server runs as (-1 when Pier is not root)
 * @param state {@link #CREATING}, {@link #READY} or {@link #DESTROYING}
 * @param ownerApp the app it was created for (its billing app, as Heroku)
 * @param credentials how apps connect, or null while it is being created
 */
public record Addon(
    String name, String kind, String plan, int port, int uid, String state, String ownerApp,
    Credentials credentials, Instant createdAt) {
  public static final String CREATING = "creating";
  public static final String READY = "ready";
  public static final String DESTROYING = "destroying";

  public Addon withCredentials(Credentials c) {
    return new Addon(name, kind, plan, port, uid, state, ownerApp, c, createdAt);
  }

  public Addon withState(String s) {
    return new Addon(name, kind, plan, port, uid, s, ownerApp, credentials, createdAt);
  }

  /** An app using an add-on; its vars are named from {@code alias} ({@code DATABASE}, {@code PIER_POSTGRES_AMBER}). */
  public record Attachment(String addon, String app, String alias, Instant createdAt) {}
}
