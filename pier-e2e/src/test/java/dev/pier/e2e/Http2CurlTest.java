package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 through the router (#12) with the real curl binary: a pushed HTTP/1.1 node app with the
 * custom domain www.example.com answers {@code curl --cacert <Pier CA> https://www.example.com:PORT/}
 * over HTTP/2 (ALPN h2), a large POST body reaches it intact, and on the plain port curl's h2c
 * upgrade and prior knowledge get HTTP/2 too.
 */
class Http2CurlTest {
  @TempDir Path tmp;

  /** Answers with what it saw: its own HTTP version, the proto, the Host, the body's size and hash. */
  private static Map<String, String> app() {
    return Map.of("Procfile", "web: node server.js\n", "server.js", """
        const crypto = require('crypto');
        require('http').createServer((q, s) => {
          const hash = crypto.createHash('sha256');
          let size = 0;
          q.on('data', (c) => { size += c.length; hash.update(c); });
          q.on('end', () => s.end('http=' + q.httpVersion + ' proto=' + q.headers['x-forwarded-proto']
              + ' host=' + q.headers['host'] + ' size=' + size + ' sha=' + hash.digest('hex')));
        }).listen(process.env.PORT);
        """);
  }

  @Test
  void curlReachesTheAppOverHttp2WithTlsAndOverH2c() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path repo = pier.repo("shop", app());
      PlatformHarness.check(pier.cli(repo, "apps:create", "shop"));
      PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
      pier.awaitOk("shop", "/", Duration.ofSeconds(30));
      PlatformHarness.check(pier.cli(repo, "domains:add", "www.example.com"));
      Path caFile = tmp.resolve("pier-ca.pem");
      Files.writeString(caFile, PlatformHarness.check(pier.cli(tmp, "certs:ca")).out());
      int tls = pier.routerTlsPort();
      String empty = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest());

      assertThat(curl(List.of("--cacert", caFile.toString()), "https", tls))
          .isEqualTo("2 200 http=1.1 proto=https host=www.example.com:" + tls
              + " size=0 sha=" + empty);

      byte[] body = new byte[3 * 1024 * 1024];
      new Random(12).nextBytes(body);
      Path upload = tmp.resolve("upload.bin");
      Files.write(upload, body);
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
      assertThat(curl(List.of("--cacert", caFile.toString(), "--data-binary", "@" + upload),
          "https", tls)).isEqualTo("2 200 http=1.1 proto=https host=www.example.com:" + tls
              + " size=" + body.length + " sha=" + sha);

      int plain = pier.routerPort();
      for (String mode : List.of("--http2", "--http2-prior-knowledge")) {
        assertThat(curl(List.of(mode), "http", plain)).as(mode)
            .isEqualTo("2 200 http=1.1 proto=http host=www.example.com:" + plain
                + " size=0 sha=" + empty);
      }
    }
  }

  /** Runs curl against www.example.com on {@code port}; returns "HTTP_VERSION STATUS BODY". */
  private static String curl(List<String> options, String scheme, int port) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--http2", "--max-time", "20",
        "--resolve", "www.example.com:" + port + ":127.0.0.1",
        "-w", "\n%{http_version} %{http_code}"));
    command.addAll(options);
    command.add(scheme + "://www.example.com:" + port + "/");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    int lastLine = out.lastIndexOf('\n');
    return out.substring(lastLine + 1) + " " + out.substring(0, lastLine);
  }
}
