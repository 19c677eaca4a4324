/**
 * The data stores behind add-ons: real PostgreSQL, Redis, memcached and RabbitMQ servers from
 * Debian's packages, each made, run, supervised and removed by Pier.
 *
 * <pre>
 *   pier-server dev.pier.addons (store, API, config vars, attachments, guard, backups)
 *        |  one {@link dev.pier.datastores.Datastore} per kind
 *        v
 *   Datastore.create -> start (supervised: restarted when it exits) -> rotate / status -> destroy
 * </pre>
 *
 * <p>This module knows nothing of apps, releases or the store: the server decides names, ports,
 * uids and folders ({@link dev.pier.datastores.StoreSpec}) and keeps the {@link
 * dev.pier.datastores.Credentials} it gets back. Each add-on server runs under its own uid and
 * cgroup, listens on loopback only, keeps its data under its {@code dataDir}, and stops when Pier
 * stops.
 */
package dev.pier.datastores;
