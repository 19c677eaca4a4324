package dev.pier.datastores;

import dev.pier.datastores.memcached.MemcachedDatastore;
import dev.pier.datastores.postgres.PostgresDatastore;
import dev.pier.datastores.rabbitmq.RabbitmqDatastore;
import dev.pier.datastores.redis.RedisDatastore;
import dev.pier.datastores.run.Host;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Sandbox;
import java.util.List;

/** The data stores Pier offers, wired to the host's sandbox and cgroups. */
public final class DatastoreCatalog {
  private DatastoreCatalog() {}

  /**
   * The standard kinds, in the order {@code postgres}, {@code redis}, {@code memcached}, {@code
   * rabbitmq}, sharing one launcher of add-on servers. Each server's output is kept in {@code
   * server.log} in its data dir (the tail of which a failed status shows).
   *
   * @param sandbox how servers are isolated ({@link Sandbox#system()}: bwrap and setpriv)
   * @param cgroups where each server gets its cgroup {@code addon-NAME}, limited to its plan's
   *     memory; the server's own instance (its {@link Cgroups#reapLeftovers} at start also kills
   *     add-on servers a killed Pier left behind), or {@link Cgroups#none()} without limits
   */
  public static List<Datastore> standard(Sandbox sandbox, Cgroups cgroups) {
    Host host = new Host(sandbox, cgroups);
    return List.of(new PostgresDatastore(host), new RedisDatastore(host), new MemcachedDatastore(host),
        new RabbitmqDatastore(host));
  }
}
