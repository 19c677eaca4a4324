package dev.pier.server;

import dev.pier.acme.Acme4jAuthority;
import dev.pier.acme.AcmeService;
import dev.pier.acme.AcmeStore;
import dev.pier.router.RouterServer;
import dev.pier.store.Database;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Function;

/**
 * Automatic certificates (#12, ACME): the CA of {@code --acme-directory} (account key in
 * {@code DATA/tls/acme}), whose HTTP-01 challenges the router answers. Off, with the reason
 * {@code pier certs:auto:enable} gives, without a directory URL or without HTTPS.
 */
final class PierAcme {
  private PierAcme() {}

  static AcmeService create(Settings settings, Database db, RouterServer router, PierTls tls,
      Function<String, List<String>> domainsOf, InstantSource clock) {
    AcmeStore store = new AcmeStore(db);
    if (tls.apps() == null) {
      return new AcmeService(store, null, "automatic certificates need HTTPS, which is off on this"
          + " server (pier server --router-tls-port off)", domainsOf, clock);
    }
    if (settings.acme() == null) {
      return new AcmeService(store, null, "automatic certificates are off on this server: the"
          + " operator turns them on with pier server --acme-directory URL (see docs/operators.md)",
          domainsOf, clock);
    }
    Acme4jAuthority ca = new Acme4jAuthority(settings.acme(),
        settings.dataDir().resolve("tls").resolve("acme"), router.challenges());
    return new AcmeService(store, ca, null, domainsOf, clock);
  }
}
