package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Router-made answers, driven through the real pipeline on an {@link EmbeddedChannel}. */
class FrontendHandlerTest {
  private final RecordingAccessLog log = new RecordingAccessLog();
  private final RouteTable routes = new RouteTable(Map.of(
      "empty.localhost", new Route("empty", List.of())));

  private EmbeddedChannel channel() {
    RouterContext context = new RouterContext(RouterHarness.FAST, () -> routes, new RoundRobin(),
        new InFlight(), log, Transport.nio());
    return new EmbeddedChannel(new RouterInitializer(context));
  }

  private static String exchange(EmbeddedChannel channel, String request) {
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    StringBuilder out = new StringBuilder();
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      out.append(buf.toString(StandardCharsets.ISO_8859_1));
      buf.release();
    }
    return out.toString();
  }

  @Test
  void unknownHostIsAnswered404WithRouterErrorHeader() throws Exception {
    EmbeddedChannel channel = channel();
    String response = exchange(channel, "GET / HTTP/1.1\r\nHost: nope.localhost\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 404 Not Found\r\n")
        .contains("X-Router-Error: no_such_app\r\n").contains("No such app");
    assertThat(channel.isOpen()).isTrue();
    assertThat(log.next().error()).isEqualTo(RouterError.NO_SUCH_APP);
    channel.finishAndReleaseAll();
  }

  @Test
  void routeWithoutInstancesIsAnswered503() {
    EmbeddedChannel channel = channel();
    String response = exchange(channel, "GET / HTTP/1.1\r\nHost: empty.localhost\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
        .contains("X-Router-Error: no_instances\r\n");
    channel.finishAndReleaseAll();
  }

  @Test
  void garbageIsAnswered400AndTheConnectionClosed() throws Exception {
    EmbeddedChannel channel = channel();
    String response = exchange(channel, "\u0001\u0002 nonsense \r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n")
        .contains("X-Router-Error: bad_request\r\n").containsIgnoringCase("Connection: close\r\n");
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertThat(log.next().status()).isEqualTo(400);
  }

  @Test
  void oversizedHeadersAreAnswered431AndTheConnectionClosed() throws Exception {
    EmbeddedChannel channel = channel();
    String response = exchange(channel,
        "GET / HTTP/1.1\r\nHost: a.localhost\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n")
        .contains("X-Router-Error: headers_too_large\r\n")
        .containsIgnoringCase("Connection: close\r\n")
        .contains("Request header fields too large");
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertThat(log.next().error()).isEqualTo(RouterError.HEADERS_TOO_LARGE);
  }

  @Test
  void headersJustUnderTheLimitAreRouted() {
    EmbeddedChannel channel = channel();
    String response = exchange(channel,
        "GET / HTTP/1.1\r\nHost: nope.localhost\r\nX-Big: " + "x".repeat(7_000) + "\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 404 Not Found\r\n");
    channel.finishAndReleaseAll();
  }

  @Test
  void overlongRequestLineIsAnswered414AndTheConnectionClosed() throws Exception {
    EmbeddedChannel channel = channel();
    String response = exchange(channel,
        "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 414 ")
        .contains("X-Router-Error: uri_too_long\r\n")
        .containsIgnoringCase("Connection: close\r\n");
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertThat(log.next().status()).isEqualTo(414);
  }

  @Test
  void twoHostHeadersAreAnswered400InsteadOfPickingOne() throws Exception {
    EmbeddedChannel channel = channel();
    String response = exchange(channel,
        "GET / HTTP/1.1\r\nHost: empty.localhost\r\nHost: other.localhost\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n")
        .contains("X-Router-Error: bad_request\r\n");
    assertThat(log.next().error()).isEqualTo(RouterError.BAD_REQUEST);
    channel.finishAndReleaseAll();
  }

  @Test
  void absoluteTargetNamingAnotherHostThanTheHostHeaderIsAnswered400() throws Exception {
    EmbeddedChannel channel = channel();
    String response = exchange(channel,
        "GET http://other.localhost/x HTTP/1.1\r\nHost: empty.localhost\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
    assertThat(log.next().error()).isEqualTo(RouterError.BAD_REQUEST);
    channel.finishAndReleaseAll();
  }

  @Test
  void absoluteTargetAgreeingWithTheHostHeaderIsRouted() {
    EmbeddedChannel channel = channel();
    String response = exchange(channel,
        "GET http://user@EMPTY.localhost:8080/x HTTP/1.1\r\nHost: empty.localhost\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
        .contains("X-Router-Error: no_instances\r\n");
    channel.finishAndReleaseAll();
  }
}
