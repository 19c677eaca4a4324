package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Node app that speaks WebSocket (node's own {@code upgrade} event, no npm package) deployed
 * with git push and used through the router with a real handshake and frames.
 */
class WebSocketTest {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  @TempDir Path tmp;

  private static Map<String, String> chatApp() {
    return Map.of("Procfile", "web: node server.js\n", "server.js", """
        const http = require('http'), crypto = require('crypto');
        const server = http.createServer((q, s) => s.end('plain http'));
        server.on('upgrade', (req, socket) => {
          const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '%s').digest('base64');
          socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n' +
              'Sec-WebSocket-Accept: ' + accept + '\\r\\n\\r\\n');
          socket.on('data', buf => { // one small masked text frame per chunk, enough for the test
            const len = buf[1] & 0x7f, mask = buf.subarray(2, 6), data = Buffer.alloc(len);
            for (let i = 0; i < len; i++) data[i] = buf[6 + i] ^ mask[i %% 4];
            console.log('ws message: ' + data);
            const reply = Buffer.from('echo ' + data + ' from ' + process.env.DYNO);
            socket.write(Buffer.concat([Buffer.from([0x81, reply.length]), reply]));
          });
        });
        server.listen(process.env.PORT);
        """.formatted(GUID));
  }

  @Test
  void aWebSocketAppTalksThroughTheRouterAfterAGitPush() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path repo = pier.repo("chat", chatApp());
      PlatformHarness.check(pier.cli(repo, "apps:create", "chat"));
      PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
      assertThat(pier.awaitOk("chat", "/", Duration.ofSeconds(30)).body()).isEqualTo("plain http");

      try (Socket s = new Socket("127.0.0.1", pier.routerPort())) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        out.write(("GET /socket HTTP/1.1\r\nHost: chat.localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket")
            .containsIgnoringCase("sec-websocket-accept: " + accept(key)).containsIgnoringCase("x-request-id: ");

        for (String message : new String[] {"hello", "second message"}) {
          sendText(out, message);
          assertThat(readText(in)).isEqualTo("echo " + message + " from web.1");
        }
      }
      String logs = pier.logsUntil(repo, "status=101", "logs", "-n", "100").out();
      assertThat(logs).contains("app[web.1]: ws message: hello").contains("path=\"/socket\"").contains("status=101");
    }
  }

  private static String accept(String key) throws Exception {
    byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
    return Base64.getEncoder().encodeToString(sha1);
  }

  private static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new AssertionError("connection closed after: " + head);
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** A masked text frame, as a browser sends it (payload under 126 bytes). */
  private static void sendText(OutputStream out, String text) throws Exception {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    frame.write(0x80 | payload.length);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) frame.write(payload[i] ^ mask[i % 4]);
    out.write(frame.toByteArray());
    out.flush();
  }

  /** One unmasked text frame from the server (payload under 126 bytes). */
  private static String readText(InputStream in) throws Exception {
    DataInputStream data = new DataInputStream(in);
    assertThat(data.readUnsignedByte()).isEqualTo(0x81);
    int length = data.readUnsignedByte();
    byte[] payload = new byte[length];
    data.readFully(payload);
    return new String(payload, StandardCharsets.UTF_8);
  }
}
