package dev.pier.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Applies versioned schema migrations {@code db/migration/V<n>__<name>.sql} from the classpath in
 * order, each in its own transaction, recording applied versions in {@code schema_version}.
 * Migrations are listed in {@link #MIGRATIONS}: adding a file means adding its name there.
 */
final class Migrator {
  static final String[] MIGRATIONS = {"V1__initial.sql", "V2__versions_and_traffic.sql",
    "V3__app_readiness_path.sql", "V4__drains.sql",
    "V5__builds.sql", "V6__release_commit.sql", "V7__formation_size_autoscale.sql", "V8__leases.sql", "V9__app_boot_timeout.sql",
    "V10__buildpacks.sql",
    // #13 scheduled jobs
    "V11__cron.sql",
    // #10 maintenance mode
    "V12__maintenance.sql",
    // #10 per-app build numbers
    "V13__build_numbers.sql",
    // #10 the Node.js (runtime) a build used
    "V14__build_runtime.sql",
    // #10 branch previews
    "V15__previews.sql",
    // #10 pipelines
    "V16__pipelines.sql",
    // #12 per-app router limits
    "V19__app_router_settings.sql",
    // #12 custom domains
    "V20__domains.sql",
    // #12 HTTPS certificates of apps
    "V21__app_certificates.sql",
    // #12 per-app features (https-only, hsts)
    "V22__app_features.sql",
    // #11 add-ons
    "V23__addons.sql",
    // #11 add-on backups
    "V24__addon_backups.sql",
    // #12 automatic certificates (ACME)
    "V25__acme.sql",
    // #11 add-on fixes: the app of a release snapshot
    "V26__addon_backup_app.sql"};

  private final DataSource dataSource;

  Migrator(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void migrate() throws SQLException, IOException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY,"
                + " name VARCHAR(200) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
      }
      c.commit();
      // Each migration not applied yet runs, also one numbered below the newest applied (branches
      // developed in parallel take numbers out of order, e.g. V16 merged before V14).
      java.util.Set<Integer> applied = appliedVersions(c);
      for (String file : MIGRATIONS) {
        int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
        if (applied.contains(version)) continue;
        String sql = read(file);
        try (Statement s = c.createStatement()) {
          for (String statement : sql.split(";\\s*(\\n|$)")) {
            if (!statement.isBlank()) s.execute(statement);
          }
          s.execute(
              "INSERT INTO schema_version VALUES (" + version + ", '" + file + "', CURRENT_TIMESTAMP)");
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          throw new SQLException("migration " + file + " failed: " + e.getMessage(), e);
        }
      }
    }
  }

  private static java.util.Set<Integer> appliedVersions(Connection c) throws SQLException {
    java.util.Set<Integer> applied = new java.util.HashSet<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
      while (rs.next()) applied.add(rs.getInt(1));
    }
    return applied;
  }

  private static String read(String file) throws IOException {
    try (InputStream in = Migrator.class.getResourceAsStream("/db/migration/" + file)) {
      if (in == null) throw new IOException("missing migration resource " + file);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
