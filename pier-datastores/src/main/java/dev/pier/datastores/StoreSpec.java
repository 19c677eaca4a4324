package dev.pier.datastores;

import java.nio.file.Path;

/**
 * One add-on's server, as the Pier server decided it.
 *
 * @param name the add-on's name ({@code postgres-amber-12345}); unique across kinds, [a-z0-9-]
 * @param kind its data store's kind
 * @param plan its plan (one of {@link Datastore#plans()})
 * @param port the loopback port it listens on (127.0.0.1), from Pier's add-on port range
 * @param uid the unprivileged uid its server runs as (its own, no app shares it); -1 when Pier
 *     does not run as root (development machines), to keep the current user
 * @param dataDir its folder under Pier's data dir, owned by {@code uid}, made by the data store
 */
public record StoreSpec(String name, String kind, Plan plan, int port, int uid, Path dataDir) {}
