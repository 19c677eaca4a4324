package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.SplitBy;
import dev.pier.model.VersionRoute;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** App Engine-style traffic splitting between versions, through real sockets. */
class TrafficSplitTest {
  private static final String HOST = "hello.localhost";
  private static final Pattern SET_COOKIE = Pattern.compile(
      "pier_split=(\\d{1,4}); Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax");

  private TestBackend v1;
  private TestBackend v2;
  private RouterHarness harness;

  @BeforeEach
  void start() throws Exception {
    v1 = new TestBackend("v1.web.1");
    v2 = new TestBackend("v2.web.1");
    harness = new RouterHarness();
  }

  @AfterEach
  void stop() {
    harness.close();
    v1.close();
    v2.close();
  }

  private void split(SplitBy by, int percent1, int percent2) {
    harness.route(HOST, new Route("hello", by, List.of(
        new VersionRoute(1, percent1, List.of(v1.backend())),
        new VersionRoute(2, percent2, List.of(v2.backend())))));
  }

  private static int bucketOf(RawClient.Response response) {
    String setCookie = response.header("set-cookie");
    assertThat(setCookie).isNotNull();
    Matcher m = SET_COOKIE.matcher(setCookie);
    assertThat(m.matches()).as(setCookie).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void randomSplitSendsEachVersionItsShareOfRequests() throws Exception {
    split(SplitBy.RANDOM, 90, 10);
    int toV2 = 0;
    try (RawClient client = harness.client()) {
      for (int i = 0; i < 2000; i++) {
        RawClient.Response response = client.get(HOST, "/");
        assertThat(response.status()).isEqualTo(200);
        if (response.instance().equals("v2.web.1")) toV2++;
      }
    }
    assertThat(toV2 / 2000.0).isBetween(0.07, 0.13);
  }

  @Test
  void newClientGetsASplitCookieMatchingTheVersionThatAnswered() throws Exception {
    split(SplitBy.COOKIE, 50, 50);
    try (RawClient client = harness.client()) {
      RawClient.Response response = client.get(HOST, "/");
      assertThat(response.status()).isEqualTo(200);
      int bucket = bucketOf(response);
      assertThat(response.instance()).isEqualTo(bucket < 5000 ? "v1.web.1" : "v2.web.1");
    }
  }

  @Test
  void clientSendingItsCookieBackStaysOnOneVersion() throws Exception {
    split(SplitBy.COOKIE, 50, 50);
    try (RawClient client = harness.client()) {
      RawClient.Response first = client.get(HOST, "/");
      String cookie = "Cookie: theme=dark; pier_split=" + bucketOf(first);
      for (int i = 0; i < 50; i++) {
        RawClient.Response response = client.get(HOST, "/", cookie);
        assertThat(response.instance()).isEqualTo(first.instance());
        assertThat(response.header("set-cookie")).isNull();
      }
      // Both ends of the range, so both versions are seen to be sticky.
      for (int i = 0; i < 10; i++) {
        assertThat(client.get(HOST, "/", "Cookie: pier_split=4999").instance())
            .isEqualTo("v1.web.1");
        assertThat(client.get(HOST, "/", "Cookie: pier_split=5000").instance())
            .isEqualTo("v2.web.1");
      }
    }
  }

  @Test
  void invalidSplitCookieIsReplaced() throws Exception {
    split(SplitBy.COOKIE, 50, 50);
    try (RawClient client = harness.client()) {
      RawClient.Response response = client.get(HOST, "/", "Cookie: pier_split=12345");
      assertThat(response.status()).isEqualTo(200);
      assertThat(bucketOf(response)).isBetween(0, 9999);
    }
  }

  @Test
  void newClientsAreSplitByCookieAsAsked() throws Exception {
    split(SplitBy.COOKIE, 70, 30);
    int clients = 400;
    int toV1 = 0;
    try (RawClient client = harness.client()) {
      for (int i = 0; i < clients; i++) {
        RawClient.Response response = client.get(HOST, "/");
        int bucket = bucketOf(response);
        assertThat(response.instance()).isEqualTo(bucket < 7000 ? "v1.web.1" : "v2.web.1");
        if (response.instance().equals("v1.web.1")) toV1++;
      }
    }
    assertThat(toV1 / (double) clients).isBetween(0.62, 0.78);
  }

  @Test
  void clientAddressKeepsItsVersionWhateverItForwards() throws Exception {
    split(SplitBy.IP, 50, 50);
    Set<String> seen = new HashSet<>();
    for (int i = 1; i <= 16; i++) {
      InetAddress address = InetAddress.getByName("127.0.0." + i);
      try (RawClient client = new RawClient(harness.port(), address)) {
        Set<String> versions = new HashSet<>();
        for (int r = 0; r < 6; r++) {
          RawClient.Response response =
              client.get(HOST, "/", "X-Forwarded-For: 10.1.2." + r);
          assertThat(response.status()).isEqualTo(200);
          versions.add(response.instance());
        }
        assertThat(versions).as("client 127.0.0.%d", i).hasSize(1);
        seen.addAll(versions);
      }
    }
    assertThat(seen).containsExactlyInAnyOrder("v1.web.1", "v2.web.1");
  }

  @Test
  void versionWithoutInstancesFallsBackToOneWithInstances() throws Exception {
    harness.route(HOST, new Route("hello", SplitBy.RANDOM, List.of(
        new VersionRoute(1, 90, List.of()),
        new VersionRoute(2, 10, List.of(v2.backend())))));
    try (RawClient client = harness.client()) {
      for (int i = 0; i < 30; i++) {
        RawClient.Response response = client.get(HOST, "/");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.instance()).isEqualTo("v2.web.1");
        assertThat(harness.log.next().version()).isEqualTo(2);
      }
    }
  }

  @Test
  void routeWithoutAnyVersionThatHasAShareAndInstancesIsAnswered503() throws Exception {
    Backend backend = v1.backend();
    try (RawClient client = harness.client()) {
      harness.route(HOST, new Route("hello", SplitBy.RANDOM,
          List.of(new VersionRoute(1, 0, List.of(backend)))));
      RawClient.Response response = client.get(HOST, "/");
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.header("x-router-error")).isEqualTo("no_instances");

      harness.route(HOST, new Route("hello", SplitBy.COOKIE, List.of(
          new VersionRoute(1, 60, List.of()), new VersionRoute(2, 40, List.of()))));
      response = client.get(HOST, "/");
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.header("x-router-error")).isEqualTo("no_instances");
    }
  }
}
