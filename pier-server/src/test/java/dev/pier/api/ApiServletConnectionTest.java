package dev.pier.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.auth.Authenticator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused request with a body leaves its kept-alive connection usable, or says it closes it:
 * a client that reuses the connection (the CLI's and the console's HTTP clients do) never sends
 * its next request into a connection the server has dropped. Real Jetty, real sockets.
 */
class ApiServletConnectionTest {
  @TempDir Path dir;
  private Server jetty;
  private ServerConnector connector;
  private String token;

  @BeforeEach
  void start() throws Exception {
    Authenticator.Loaded auth = Authenticator.load(dir.resolve("token"), null);
    token = auth.token();
    ApiServlet api = new ApiServlet(auth.authenticator());
    api.on("PUT", "/things", exchange -> exchange.response.setStatus(204));
    jetty = new Server();
    connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder("api", api), "/");
    jetty.setHandler(context);
    jetty.start();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
  }

  @Test
  void aRefusedPutWhoseBodyArrivedKeepsTheConnectionForTheNextRequest() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", connector.getLocalPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(put("/things", null, "{\"days\":9}").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String refused = response(socket.getInputStream());
      assertThat(refused).startsWith("HTTP/1.1 401").doesNotContainIgnoringCase("connection: close");

      out.write(put("/things", token, "{\"days\":9}").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(response(socket.getInputStream())).startsWith("HTTP/1.1 204");
    }
  }

  @Test
  void aRefusedPutWhoseBodyHasNotArrivedSaysTheConnectionCloses() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", connector.getLocalPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      String request = put("/things", null, "{\"days\":9}");
      out.write(request.substring(0, request.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String refused = response(socket.getInputStream());
      assertThat(refused).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");
      assertThat(refused).contains("\"code\":\"unauthorized\"");
    }
  }

  private static String put(String path, String bearer, String body) {
    return "PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
        + "Content-Length: " + body.length() + "\r\n\r\n" + body;
  }

  /** One response: its head and a Content-Length body. */
  private static String response(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) return head.toString(StandardCharsets.US_ASCII);
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
    }
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
