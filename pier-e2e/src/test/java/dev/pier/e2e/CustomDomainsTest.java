package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom domains (#12) of a pushed app: requests naming them in {@code Host} reach the app (a
 * wildcard for one label), a removed one is 404, one taken by another app is refused, they follow
 * {@code apps:rename}, and destroying the app frees them.
 */
class CustomDomainsTest {
  @TempDir Path tmp;

  private static String at(PlatformHarness pier, String host) throws Exception {
    PlatformHarness.Response r = pier.request("GET", host, "/", null);
    return r.status() + (r.status() == 200 && r.body().contains("\"version\":1") ? " app" : "");
  }

  @Test
  void customAndWildcardDomainsReachThePushedAppUntilRemovedAndFollowItsRename() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path repo = pier.repo("shop", SampleApps.nodeHello(1));
      PlatformHarness.check(pier.cli(repo, "apps:create", "shop"));
      PlatformHarness.check(pier.cli(repo, "apps:create", "other", "--no-remote"));
      Result push = pier.git(repo, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(pier.awaitBody("shop", "\"version\":1", Duration.ofSeconds(20))).isTrue();

      assertThat(at(pier, "www.example.com")).isEqualTo("404");
      PlatformHarness.check(pier.cli(repo, "domains:add", "www.example.com"));
      PlatformHarness.check(pier.cli(repo, "domains:add", "*.shop.test"));
      for (String host : new String[] {"www.example.com", "WWW.EXAMPLE.COM:" + pier.routerPort(), "www.example.com.",
          "a.shop.test", "checkout.shop.test"}) {
        assertThat(at(pier, host)).as(host).isEqualTo("200 app");
      }
      assertThat(at(pier, "shop.test")).isEqualTo("404");
      assertThat(at(pier, "a.b.shop.test")).isEqualTo("404");
      String listed = PlatformHarness.check(pier.cli(repo, "domains")).out();
      assertThat(listed).contains("shop.localhost", "www.example.com", "*.shop.test");
      assertThat(listed.indexOf("shop.localhost")).isLessThan(listed.indexOf("www.example.com"));
      assertThat(PlatformHarness.check(pier.cli(repo, "apps:info")).out()).contains("www.example.com");

      Result taken = pier.cli(repo, "domains:add", "www.example.com", "-a", "other");
      assertThat(taken.exit()).isNotZero();
      assertThat(taken.err()).contains("www.example.com is already a domain of app shop");
      Result pierOwn = pier.cli(repo, "domains:add", "v1.other.localhost", "-a", "other");
      assertThat(pierOwn.exit()).isNotZero();
      assertThat(pierOwn.err()).contains("belong to Pier");

      PlatformHarness.check(pier.cli(repo, "domains:remove", "*.shop.test"));
      assertThat(at(pier, "a.shop.test")).isEqualTo("404");

      PlatformHarness.check(pier.cli(repo, "apps:rename", "store"));
      assertThat(pier.awaitBody("store", "\"version\":1", Duration.ofSeconds(20))).isTrue();
      assertThat(at(pier, "www.example.com")).isEqualTo("200 app");
      assertThat(PlatformHarness.check(pier.cli(repo, "domains", "-a", "store")).out()).contains("www.example.com");

      PlatformHarness.check(pier.cli(repo, "apps:destroy", "-a", "store", "--confirm", "store"));
      assertThat(at(pier, "www.example.com")).isEqualTo("404");
      PlatformHarness.check(pier.cli(repo, "domains:add", "www.example.com", "-a", "other"));
    }
  }
}
