package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Custom domains (#12): the router routes an app's own host names to the app's route. */
class CustomDomainRoutingTest {
  private RouterHarness harness;
  private TestBackend shop;
  private TestBackend blog;

  @BeforeEach
  void start() throws Exception {
    harness = new RouterHarness(RouterHarness.FAST);
    shop = new TestBackend("shop.web.1");
    blog = new TestBackend("blog.web.1");
    Route shopRoute = new Route("shop", List.of(shop.backend()));
    Route blogRoute = new Route("blog", List.of(blog.backend()));
    harness.router.routes(new RouteTable(
        Map.of("shop.localhost", shopRoute, "www.example.com", shopRoute, "blog.shop.test", blogRoute),
        Map.of("shop.test", shopRoute)));
  }

  @AfterEach
  void stop() throws Exception {
    shop.close();
    blog.close();
    harness.close();
  }

  private String instanceAt(RawClient client, String host) throws Exception {
    RawClient.Response response = client.get(host, "/");
    return response.status() + " " + (response.status() == 200 ? response.instance() : "");
  }

  @Test
  void anExactCustomDomainReachesTheAppWhateverItsCasePortOrTrailingDot() throws Exception {
    try (RawClient client = harness.client()) {
      for (String host : List.of("www.example.com", "WWW.Example.COM", "www.example.com:8080", "www.example.com.",
          "www.example.com.:80")) {
        assertThat(instanceAt(client, host)).as(host).isEqualTo("200 shop.web.1");
      }
      assertThat(instanceAt(client, "example.com")).isEqualTo("404 ");
      assertThat(instanceAt(client, "wwww.example.com")).isEqualTo("404 ");
    }
  }

  @Test
  void aWildcardDomainMatchesExactlyOneLabelAndAnExactDomainWinsOverIt() throws Exception {
    try (RawClient client = harness.client()) {
      assertThat(instanceAt(client, "a.shop.test")).isEqualTo("200 shop.web.1");
      assertThat(instanceAt(client, "Checkout.SHOP.test:8080")).isEqualTo("200 shop.web.1");
      assertThat(instanceAt(client, "blog.shop.test")).as("exact beats wildcard").isEqualTo("200 blog.web.1");
      assertThat(instanceAt(client, "shop.test")).as("the parent itself").isEqualTo("404 ");
      assertThat(instanceAt(client, "a.b.shop.test")).as("two labels").isEqualTo("404 ");
      assertThat(instanceAt(client, ".shop.test")).as("an empty label").isEqualTo("404 ");
    }
  }
}
