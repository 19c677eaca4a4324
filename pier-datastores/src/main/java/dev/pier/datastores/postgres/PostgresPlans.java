package dev.pier.datastores.postgres;

import dev.pier.datastores.Plan;
import java.util.List;

/** PostgreSQL's plans: memory of the server's cgroup, connections of the app role, disk. */
final class PostgresPlans {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  static final List<Plan> ALL = List.of(
      new Plan("small", 128 * MIB, 20, GIB),
      new Plan("medium", 512 * MIB, 60, 10 * GIB),
      new Plan("large", 2 * GIB, 200, 64 * GIB));

  private PostgresPlans() {}
}
