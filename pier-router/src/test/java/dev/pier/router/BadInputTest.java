package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed and ambiguous requests, sent over raw sockets, against an instance that counts every
 * request it reads whole ({@link EchoBackend}): each gets a router error page and a closed
 * connection, never reaches the instance as a request (let alone two), and leaves no connection
 * counted.
 */
class BadInputTest {
  private static final String HOST = "Host: app.localhost\r\n";

  private EchoBackend app;
  private RouterHarness harness;

  @BeforeEach
  void start() throws Exception {
    app = new EchoBackend("web.1", EchoBackend.Behaviour.NORMAL);
    harness = new RouterHarness();
    harness.route("app.localhost", "app", app.backend());
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
    app.close();
  }

  /** Sends {@code raw}, expects the error page and a closed connection, nothing at the app. */
  private void assertRejected(String raw, int status, String error) throws Exception {
    try (RawClient client = harness.client()) {
      client.send(raw);
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(status);
      assertThat(response.header("X-Router-Error")).isEqualTo(error);
      assertThat(client.closedByPeer()).isTrue();
    }
    harness.awaitClientConnections(0);
    harness.awaitInFlight(0);
    assertThat(app.received()).isEmpty();
    assertRouterStillServes();
  }

  private void assertRouterStillServes() throws Exception {
    int before = app.received().size();
    try (RawClient client = harness.client()) {
      assertThat(client.get("app.localhost", "/").status()).isEqualTo(200);
    }
    // Recorded just after the answer is written: the client may see it a moment before.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (app.received().size() < before + 1 && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(app.received()).hasSize(before + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET\r\n\r\n",
      "GET / HTTP/1.1 extra\r\n" + HOST + "\r\n",
      "GET / FTP/1.0\r\n" + HOST + "\r\n",
      "\u0001\u0002\u0003 / HTTP/1.1\r\n" + HOST + "\r\n",
      "GET /\r\n\r\n",
  })
  void malformedRequestLineGets400AndTheConnectionCloses(String raw) throws Exception {
    assertRejected(raw, 400, "bad_request");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET / HTTP/1.1\r\n" + HOST + "no colon here\r\n\r\n",
      "GET / HTTP/1.1\r\n" + HOST + "Bad Name: x\r\n\r\n",
      "GET / HTTP/1.1\r\n" + HOST + "X-Ctl: a\u0001b\r\n\r\n",
      "GET / HTTP/1.1\r\n" + HOST + "Content-Length: abc\r\n\r\n",
      "GET / HTTP/1.1\r\n" + HOST + "Content-Length: -1\r\n\r\n",
      "GET / HTTP/1.1\r\n" + HOST + HOST + "\r\n",
  })
  void malformedHeaderGets400AndTheConnectionCloses(String raw) throws Exception {
    assertRejected(raw, 400, "bad_request");
  }

  @Test
  void bareLineFeedsAreRejected() throws Exception {
    assertRejected("GET / HTTP/1.1\nHost: app.localhost\n\n", 400, "bad_request");
  }

  @Test
  void obsoleteLineFoldingIsUnfoldedIntoOneSpace() throws Exception {
    try (TestBackend info = new TestBackend("web.2")) {
      harness.route("info.localhost", "info", info.backend());
      try (RawClient client = harness.client()) {
        client.send("GET / HTTP/1.1\r\nHost: info.localhost\r\nX-Folded: one\r\n two\r\n\r\n");
        RawClient.Response response = client.readResponse();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.seen("x-folded")).isEqualTo("one two");
      }
    }
  }

  @Test
  void contentLengthWithTransferEncodingGets400() throws Exception {
    assertRejected("POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "bad_request");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Content-Length: 4\r\nContent-Length: 5\r\n",
      "Content-Length: 4, 5\r\n",
      "Content-Length: 4\r\nContent-Length: 4\r\n",
  })
  void duplicateContentLengthGets400(String lengths) throws Exception {
    assertRejected("POST / HTTP/1.1\r\n" + HOST + lengths + "\r\nabcde", 400, "bad_request");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Transfer-Encoding: xchunked\r\n",
      "Transfer-Encoding: chunked, identity\r\n",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
      "Transfer-Encoding : chunked\r\n",
  })
  void transferEncodingOtherThanAFinalChunkedGets400(String te) throws Exception {
    assertRejected("POST / HTTP/1.1\r\n" + HOST + te + "\r\n0\r\n\r\n", 400, "bad_request");
  }

  @Test
  void transferEncodingOnAnHttp10RequestGets400() throws Exception {
    assertRejected("POST / HTTP/1.0\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        400, "bad_request");
  }

  /**
   * CL.TE: a front end trusting Content-Length forwards "0\r\n\r\nG..." as the body; a back end
   * trusting chunked reads an empty body and takes the rest as a second request.
   */
  @Test
  void clTeSmugglingNeverReachesTheAppAsTwoRequests() throws Exception {
    String smuggled = "GET /admin HTTP/1.1\r\n" + HOST + "\r\n";
    String raw = "POST / HTTP/1.1\r\n" + HOST + "Content-Length: " + (5 + smuggled.length())
        + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled;
    assertRejected(raw, 400, "bad_request");
  }

  /**
   * TE.CL: a front end trusting chunked forwards the whole chunk; a back end trusting
   * Content-Length reads 4 bytes and takes the chunk's contents as a second request.
   */
  @Test
  void teClSmugglingNeverReachesTheAppAsTwoRequests() throws Exception {
    String smuggled = "GET /admin HTTP/1.1\r\n" + HOST + "Content-Length: 0\r\n\r\n";
    String raw = "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 4\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(smuggled.length()) + "\r\n"
        + smuggled + "\r\n0\r\n\r\n";
    assertRejected(raw, 400, "bad_request");
  }

  @Test
  void chunkedBodyWithABadChunkSizeClosesTheConnectionWithoutAWholeRequestAtTheApp()
      throws Exception {
    // The head is already on its way to the app; the body is not, and its connection is closed.
    assertRejected("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\nzz\r\n\r\n"
        + "GET /admin HTTP/1.1\r\n" + HOST + "\r\n", 400, "bad_request");
  }

  @Test
  void oversizedHeadersGet431() throws Exception {
    assertRejected("GET / HTTP/1.1\r\n" + HOST + "X-Big: " + "a".repeat(9000) + "\r\n\r\n",
        431, "headers_too_large");
  }

  @Test
  void oversizedRequestLineGets414() throws Exception {
    assertRejected("GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + HOST + "\r\n",
        414, "uri_too_long");
  }

  @Test
  void manyBadRequestsLeaveNoConnectionCounted() throws Exception {
    for (int i = 0; i < 50; i++) {
      try (RawClient client = harness.client()) {
        client.send(i % 2 == 0 ? "BROKEN\r\n\r\n" : "GET / HTTP/1.1\r\nno colon\r\n\r\n");
        assertThat(client.readResponse().status()).isEqualTo(400);
      }
    }
    harness.awaitClientConnections(0);
    assertRouterStillServes();
  }
}
