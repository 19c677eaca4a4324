package dev.pier.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.app.AppService;
import dev.pier.deploy.Platform;
import dev.pier.model.AppName;
import dev.pier.model.RouteHttps;
import dev.pier.model.RouteTable;
import dev.pier.rename.AppRenameStore;
import dev.pier.routing.RoutePublisher;
import dev.pier.store.DataDirs;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Features on the server side: stored per app, published on every route of the app (with the
 * router's HTTPS port) by the real {@link RoutePublisher}, following a rename and gone with the app.
 */
class FeaturesTest {
  @TempDir Path tmp;
  private Platform p;
  private final AtomicReference<RouteTable> published = new AtomicReference<>();
  private FeatureService features;
  private AppService apps;

  @BeforeEach
  void start() throws Exception {
    p = new Platform(tmp);
    apps = new AppService(p.apps, new DataDirs(tmp.resolve("data")), p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    RoutePublisher routes = new RoutePublisher(apps, p.runtime, p.versions, p.processes, published::set);
    apps.wire(p.processes, routes);
    features = new FeatureService(new FeatureStore(p.db), routes::publish);
    routes.https(features::https, 8443);
    p.app("shop");
    p.app("blog");
    routes.publish();
  }

  @AfterEach
  void stop() {
    p.close();
  }

  @Test
  void enablingHttpsOnlyPublishesItOnTheAppsRoutesAndTheHttpsPort() {
    assertThat(features.list(new AppName("shop"))).extracting(v -> v.feature().key() + "=" + v.enabled())
        .as("every feature off until enabled").containsExactly("https-only=false", "hsts=false");
    assertThat(published.get().lookup("shop.pier.test").https()).isEqualTo(RouteHttps.DEFAULT);
    features.set(new AppName("shop"), "https-only", true);
    assertThat(published.get().httpsPort()).isEqualTo(8443);
    assertThat(published.get().lookup("shop.pier.test").https()).isEqualTo(new RouteHttps(true, false));
    assertThat(published.get().lookup("blog.pier.test").https()).isEqualTo(RouteHttps.DEFAULT);

    features.set(new AppName("shop"), "HSTS", true);
    features.set(new AppName("shop"), "https-only", false);
    assertThat(published.get().lookup("shop.pier.test").https()).isEqualTo(new RouteHttps(false, true));
    assertThat(new FeatureService(new FeatureStore(p.db), () -> {}).list(new AppName("shop")))
        .as("stored, as a restarted server sees it")
        .extracting(v -> v.feature().key() + "=" + v.enabled()).containsExactly("https-only=false", "hsts=true");
  }

  @Test
  void featuresFollowARenameAndGoWithTheApp() {
    features.set(new AppName("shop"), "https-only", true);
    assertThat(new AppRenameStore(p.db).rename(new AppName("shop"), new AppName("store"),
        tmp.resolve("a"), tmp.resolve("b"))).isTrue();
    assertThat(features.https()).containsOnlyKeys("store");
    assertThat(features.list(new AppName("store")).getFirst().enabled()).isTrue();

    p.apps.delete(new AppName("store"));
    assertThat(features.https()).isEmpty();
  }
}
