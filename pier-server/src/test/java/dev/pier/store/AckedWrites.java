package dev.pier.store;

import dev.pier.app.AppStore;
import dev.pier.config.ConfigStore;
import dev.pier.model.AppName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A child process for {@link DatabaseKillTest}: creates apps one after another through the real
 * store and prints each name once the store acknowledged it, while config updates churn the file.
 * The store's retention time is set to 0, so freed file space is reused at once (in production
 * that happens 45 s after a chunk was freed).
 */
public final class AckedWrites {
  private AckedWrites() {}

  public static void main(String[] args) throws Exception {
    Database db = Database.open(Path.of(args[0]));
    db.query(c -> c.createStatement().execute("SET RETENTION_TIME 0"));
    AppStore apps = new AppStore(db);
    ConfigStore config = new ConfigStore(db);
    AppName churn = new AppName("churn");
    apps.insert(churn, Instant.now());
    for (int i = 0; ; i++) {
      config.update(churn, Map.of("K", "x".repeat(2000) + i));
      AppName name = new AppName(args[1] + "-" + i);
      apps.insert(name, Instant.now()).orElseThrow();
      System.out.println(name.value());
      System.out.flush();
    }
  }
}
