package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** Which requests the router treats as protocol upgrades, and the headers it forwards. */
class UpgradeRequestTest {
  private static HttpRequest request(HttpVersion version, HttpMethod method, String... headers) {
    HttpRequest request = new DefaultHttpRequest(version, method, "/");
    for (int i = 0; i < headers.length; i += 2) request.headers().add(headers[i], headers[i + 1]);
    return request;
  }

  @Test
  void connectionTokenIsMatchedInAnyCaseAndInsideAList() {
    assertThat(ProxyHeaders.upgradeProtocol(request(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "Connection", "keep-alive, Upgrade", "Upgrade", "websocket"))).isEqualTo("websocket");
    assertThat(ProxyHeaders.upgradeProtocol(request(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "Connection", "UPGRADE", "Upgrade", "h2c"))).isEqualTo("h2c");
  }

  @Test
  void requestsThatCannotUpgradeArePlain() {
    assertThat(ProxyHeaders.upgradeProtocol(request(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "Upgrade", "websocket"))).as("no Connection token").isNull();
    assertThat(ProxyHeaders.upgradeProtocol(request(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "Connection", "upgrade"))).as("no Upgrade header").isNull();
    assertThat(ProxyHeaders.upgradeProtocol(request(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "Connection", "upgraded", "Upgrade", "websocket"))).as("not the token").isNull();
    assertThat(ProxyHeaders.upgradeProtocol(request(HttpVersion.HTTP_1_0, HttpMethod.GET,
        "Connection", "upgrade", "Upgrade", "websocket"))).as("HTTP/1.0").isNull();
    assertThat(ProxyHeaders.upgradeProtocol(request(HttpVersion.HTTP_1_1, HttpMethod.POST,
        "Connection", "upgrade", "Upgrade", "h2c", "Content-Length", "3"))).as("body").isNull();
  }

  @Test
  void upgradeRequestKeepsConnectionAndUpgradeButNoOtherHopByHopHeader() {
    HttpRequest request = request(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "Connection", "keep-alive, Upgrade, X-Secret", "Upgrade", "websocket",
        "Keep-Alive", "timeout=5", "X-Secret", "s", "Sec-WebSocket-Key", "k");
    ProxyHeaders.toBackend(request, "10.0.0.1", 80, "id-1", 0L, "websocket");
    assertThat(request.headers().get("Connection")).isEqualTo("upgrade");
    assertThat(request.headers().get("Upgrade")).isEqualTo("websocket");
    assertThat(request.headers().contains("Keep-Alive")).isFalse();
    assertThat(request.headers().contains("X-Secret")).isFalse();
    assertThat(request.headers().get("Sec-WebSocket-Key")).isEqualTo("k");
    assertThat(request.headers().get("X-Request-Id")).isEqualTo("id-1");
  }

  @Test
  void whatAClientSaysAboutItsConnectionNeverReachesTheApp() {
    HttpRequest request = request(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "Forwarded", "proto=https;for=1.2.3.4", "X-Forwarded-Ssl", "on", "X-Forwarded-Proto", "https",
        "X-Forwarded-Port", "443", "X-Forwarded-For", "1.2.3.4");
    ProxyHeaders.toBackend(request, "10.0.0.1", 8080, "id-1", 0L, null);
    assertThat(request.headers().contains("Forwarded")).isFalse();
    assertThat(request.headers().contains("X-Forwarded-Ssl")).isFalse();
    assertThat(request.headers().getAll("X-Forwarded-Proto")).containsExactly("http");
    assertThat(request.headers().getAll("X-Forwarded-Port")).containsExactly("8080");
    assertThat(request.headers().getAll("X-Forwarded-For")).containsExactly("10.0.0.1");
  }
}
