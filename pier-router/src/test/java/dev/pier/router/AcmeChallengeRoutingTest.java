package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ACME HTTP-01 (#12 automatic certificates): the router itself answers a published token for its
 * host, on a kept-alive connection, and leaves every other request (other host, unknown token,
 * withdrawn token) to the app.
 */
class AcmeChallengeRoutingTest {
  private RouterHarness harness;
  private TestBackend shop;

  @BeforeEach
  void start() throws Exception {
    harness = new RouterHarness(RouterHarness.FAST);
    shop = new TestBackend("shop.web.1");
    Route route = new Route("shop", List.of(shop.backend()));
    harness.router.routes(new RouteTable(Map.of("shop.localhost", route, "www.example.com", route), Map.of()));
  }

  @AfterEach
  void stop() throws Exception {
    shop.close();
    harness.close();
  }

  @Test
  void aPublishedTokenIsAnsweredByTheRouterForItsHostOnlyAndOtherRequestsReachTheApp() throws Exception {
    harness.router.challenges().publish("www.example.com", "tok-123", "tok-123.thumbprint");
    try (RawClient client = harness.client()) {
      RawClient.Response answer = client.get("WWW.example.com:80", "/.well-known/acme-challenge/tok-123");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.text()).isEqualTo("tok-123.thumbprint");
      assertThat(answer.head().header("content-type")).isEqualTo("text/plain");
      // Same connection: the app still gets the next request.
      assertThat(client.get("www.example.com", "/").instance()).isEqualTo("shop.web.1");
      // Another host, or another token: the app's (it may answer its own challenges).
      assertThat(client.get("shop.localhost", "/.well-known/acme-challenge/tok-123").instance())
          .isEqualTo("shop.web.1");
      assertThat(client.get("www.example.com", "/.well-known/acme-challenge/other").instance())
          .isEqualTo("shop.web.1");
    }
    harness.router.challenges().withdraw("tok-123");
    try (RawClient client = harness.client()) {
      assertThat(client.get("www.example.com", "/.well-known/acme-challenge/tok-123").instance())
          .isEqualTo("shop.web.1");
    }
  }

  @Test
  void aTokenIsAnsweredForADomainNoAppRoutesYet() throws Exception {
    harness.router.challenges().publish("new.example.org", "t0", "t0.k");
    try (RawClient client = harness.client()) {
      assertThat(client.get("new.example.org", "/.well-known/acme-challenge/t0").text()).isEqualTo("t0.k");
      assertThat(client.get("new.example.org", "/").status()).isEqualTo(404);
    }
  }
}
