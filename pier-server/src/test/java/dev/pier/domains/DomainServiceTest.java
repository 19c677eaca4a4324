package dev.pier.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.app.AppService;
import dev.pier.deploy.Platform;
import dev.pier.errors.PlatformException;
import dev.pier.model.AppName;
import dev.pier.model.RouteTable;
import dev.pier.routing.RoutePublisher;
import dev.pier.store.DataDirs;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom domains on the server: stored in the real store, one app each, published by the real
 * {@link RoutePublisher} on the same route as the app's built-in domain.
 */
class DomainServiceTest {
  @TempDir java.nio.file.Path tmp;
  private Platform p;
  private DomainService domains;
  private final AtomicReference<RouteTable> published = new AtomicReference<>(RouteTable.EMPTY);
  private final AppName shop = new AppName("shop");
  private final AppName blog = new AppName("blog");

  @BeforeEach
  void start() {
    p = new Platform(tmp);
    AppService apps = new AppService(p.apps, new DataDirs(tmp.resolve("data")), p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    RoutePublisher routes = new RoutePublisher(apps, p.runtime, p.versions, p.processes, published::set);
    apps.wire(p.processes, routes);
    domains = new DomainService(new DomainStore(p.db), new HostNames("pier.test"), routes::publish, p.clock);
    routes.domains(domains::all);
    p.app("shop");
    p.app("blog");
  }

  @AfterEach
  void stop() {
    p.close();
  }

  @Test
  void addedDomainsArePublishedOnTheAppsOwnRouteAndRemovedOnesAreNot() {
    assertThat(domains.add(shop, "WWW.Example.com.").hostname()).isEqualTo("www.example.com");
    domains.add(shop, "*.shop.example");

    RouteTable table = published.get();
    assertThat(table.lookup("www.example.com")).isSameAs(table.lookup("shop.pier.test")).isNotNull();
    assertThat(table.lookup("eu.shop.example")).isSameAs(table.lookup("shop.pier.test"));
    assertThat(domains.list(shop)).extracting(DomainStore.Domain::hostname)
        .containsExactly("*.shop.example", "www.example.com");

    domains.remove(shop, "www.example.com");
    assertThat(published.get().lookup("www.example.com")).isNull();
    assertThat(published.get().lookup("eu.shop.example")).isNotNull();
  }

  @Test
  void aDomainBelongsToOneAppAndIsFreedWhenItsAppIsDeleted() {
    domains.add(shop, "www.example.com");

    assertThatThrownBy(() -> domains.add(blog, "www.example.com"))
        .isInstanceOf(PlatformException.class)
        .hasMessage("www.example.com is already a domain of app shop; remove it there first"
            + " (pier domains:remove www.example.com -a shop)");
    assertThatThrownBy(() -> domains.add(shop, "www.EXAMPLE.com"))
        .hasMessage("www.example.com is already a domain of shop");
    assertThatThrownBy(() -> domains.remove(blog, "www.example.com"))
        .hasMessage("www.example.com is not a domain of blog");
    assertThat(published.get().lookup("www.example.com").app()).isEqualTo("shop");

    p.apps.delete(shop);
    domains.add(blog, "www.example.com");
    assertThat(domains.list(blog)).hasSize(1);
  }
}
