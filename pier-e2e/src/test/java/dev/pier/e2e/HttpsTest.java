package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS through the router's TLS port with the real curl binary (#12): after a git push the app
 * answers at https://APP.localhost:TLSPORT/ with a certificate from Pier's own CA, which curl
 * trusts through {@code pier certs:ca}; the app sees {@code X-Forwarded-Proto: https}. A
 * certificate the app adds ({@code pier certs:add}) is presented for its name until removed.
 */
class HttpsTest {
  @TempDir Path tmp;

  private static Map<String, String> protoApp() {
    return Map.of("Procfile", "web: node server.js\n", "server.js", """
        require('http').createServer((q, s) => s.end('proto=' + q.headers['x-forwarded-proto']
            + ' port=' + q.headers['x-forwarded-port'])).listen(process.env.PORT);
        """);
  }

  @Test
  void curlTrustingPiersCaReachesAPushedAppOverHttps() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path repo = pier.repo("shop", protoApp());
      PlatformHarness.check(pier.cli(repo, "apps:create", "shop"));
      PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
      pier.awaitOk("shop", "/", Duration.ofSeconds(30));

      String pem = PlatformHarness.check(pier.cli(tmp, "certs:ca")).out();
      assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
      Path caFile = tmp.resolve("pier-ca.pem");
      Files.writeString(caFile, pem);
      int port = pier.routerTlsPort();

      assertThat(curl(caFile, "shop.localhost", port)).isEqualTo("200 proto=https port=" + port);
      // A name under the app verifies too (the certificate's *.shop.localhost), unrouted: 404.
      assertThat(curl(caFile, "api.shop.localhost", port)).startsWith("404 ");
      // A custom domain gets a certificate from Pier's CA for its own name.
      PlatformHarness.check(pier.cli(tmp, "domains:add", "www.example.com", "-a", "shop"));
      assertThat(curl(caFile, "www.example.com", port)).isEqualTo("200 proto=https port=" + port);

      // An app's own certificate for api.shop.localhost, from another CA: the router presents it.
      dev.pier.router.tls.PierCa other = dev.pier.router.tls.PierCa.create("Test CA");
      dev.pier.router.tls.IssuedCertificate own = other.issue(List.of("api.shop.localhost"));
      Path cert = tmp.resolve("cert.pem");
      Path key = tmp.resolve("key.pem");
      Path otherCa = tmp.resolve("other-ca.pem");
      Files.writeString(cert, String.join("", own.chain().stream()
          .map(dev.pier.router.tls.PierCa.Pem::encode).toList()));
      Files.writeString(key, dev.pier.router.tls.PierCa.Pem.encode(own.key()));
      Files.writeString(otherCa, other.rootPem());
      Path wrongKey = tmp.resolve("wrong-key.pem");
      Files.writeString(wrongKey, dev.pier.router.tls.PierCa.Pem.encode(
          other.issue(List.of("api.shop.localhost")).key()));
      PlatformHarness.Result refused = pier.cli(tmp, "certs:add", cert.toString(),
          wrongKey.toString(), "-a", "shop");
      assertThat(refused.exit()).isNotZero();
      assertThat(refused.err()).contains("the private key does not match the certificate");
      // A certificate for names the app does not own (every app's *.localhost, a domain it has not
      // added) would take over other apps' HTTPS: refused.
      for (String foreign : List.of("*.localhost", "www.not-added.test")) {
        dev.pier.router.tls.IssuedCertificate grab = other.issue(List.of(foreign));
        Path grabCert = tmp.resolve("grab.pem");
        Path grabKey = tmp.resolve("grab-key.pem");
        Files.writeString(grabCert, String.join("", grab.chain().stream()
            .map(dev.pier.router.tls.PierCa.Pem::encode).toList()));
        Files.writeString(grabKey, dev.pier.router.tls.PierCa.Pem.encode(grab.key()));
        PlatformHarness.Result grabbed = pier.cli(tmp, "certs:add", grabCert.toString(), grabKey.toString(), "-a", "shop");
        assertThat(grabbed.exit()).isNotZero();
        assertThat(grabbed.err()).contains("certificate refused: " + foreign + " is not a name of shop");
      }

      assertThat(PlatformHarness.check(pier.cli(tmp, "certs:add", cert.toString(), key.toString(),
          "-a", "shop")).out()).contains("Adding certificate 1 to shop... done: api.shop.localhost");
      assertThat(curl(otherCa, "api.shop.localhost", port)).startsWith("404 ");
      assertThat(curl(caFile, "shop.localhost", port)).startsWith("200 ");
      assertThat(PlatformHarness.check(pier.cli(tmp, "certs", "-a", "shop")).out())
          .containsPattern("1 +api.shop.localhost +\\S*CN=Test CA")
          .containsPattern("- +shop.localhost, \\*.shop.localhost +pier-ca");

      PlatformHarness.check(pier.cli(tmp, "certs:remove", "1", "-a", "shop"));
      assertThat(curl(caFile, "api.shop.localhost", port)).startsWith("404 ");
    }
  }

  @Test
  void anHttpsOnlyAppSendsPlainHttpToHttpsWhichCurlFollowsAndTheSwitchSurvivesARestart() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path repo = pier.repo("vault", protoApp());
      PlatformHarness.check(pier.cli(repo, "apps:create", "vault"));
      PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
      pier.awaitOk("vault", "/", Duration.ofSeconds(30));
      Path caFile = tmp.resolve("pier-ca.pem");
      Files.writeString(caFile, PlatformHarness.check(pier.cli(tmp, "certs:ca")).out());
      assertThat(PlatformHarness.check(pier.cli(tmp, "features", "-a", "vault")).out())
          .contains("[ ] https-only");

      PlatformHarness.check(pier.cli(tmp, "features:enable", "https-only", "-a", "vault"));
      PlatformHarness.check(pier.cli(tmp, "features:enable", "hsts", "-a", "vault"));
      assertThat(PlatformHarness.check(pier.cli(tmp, "features", "-a", "vault")).out())
          .contains("[+] https-only").contains("[+] hsts");
      int http = pier.routerPort();
      int https = pier.routerTlsPort();
      List<String> followed = curlFollow(caFile, "vault.localhost", http, https, "/cart?id=5");
      assertThat(followed.getLast()).isEqualTo("200 https://vault.localhost:" + https + "/cart?id=5 proto=https port=" + https);
      assertThat(String.join("\n", followed)).containsIgnoringCase("HTTP/1.1 308")
          .containsIgnoringCase("location: https://vault.localhost:" + https + "/cart?id=5")
          .containsIgnoringCase("strict-transport-security: max-age=31536000");
      // An ACME challenge stays on plain HTTP (the app answers it here).
      assertThat(curlStatus("vault.localhost", http, "/.well-known/acme-challenge/t0ken")).startsWith("200 ");
      PlatformHarness.Result unknown = pier.cli(tmp, "features:enable", "nope", "-a", "vault");
      assertThat(unknown.exit()).isNotZero();
      assertThat(unknown.err()).contains("no such feature 'nope'");
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      for (String[] call : List.of(new String[] {"nope", "{\"enabled\":true}", "404"},
          new String[] {"hsts", "{\"enabled\":\"yes\"}", "422"})) {
        java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(pier.apiUrl() + "/apps/vault/features/" + call[0]))
            .header("Authorization", "Bearer " + PlatformHarness.TOKEN).header("Content-Type", "application/json")
            .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(call[1])).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(Integer.parseInt(call[2]));
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("json");
        assertThat(r.body()).contains(call[0].equals("nope") ? "no such feature 'nope'" : "enabled");
      }

      pier.restart();
      int httpsAfter = pier.routerTlsPort();
      assertThat(curlStatus("vault.localhost", pier.routerPort(), "/a?b=1"))
          .isEqualTo("308 https://vault.localhost:" + httpsAfter + "/a?b=1");
    }
  }

  @Test
  void behindAForwardFrom443TheRedirectNamesThePublicHttpsPort() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp, s -> s.withRouterPublicHttpsPort(443))) {
      java.net.http.HttpClient api = java.net.http.HttpClient.newHttpClient();
      for (String[] call : List.of(new String[] {"POST", "/apps", "{\"name\":\"vault\"}"},
          new String[] {"PATCH", "/apps/vault/features/https-only", "{\"enabled\":true}"})) {
        java.net.http.HttpResponse<String> r = api.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(pier.apiUrl() + call[1]))
            .header("Authorization", "Bearer " + PlatformHarness.TOKEN).header("Content-Type", "application/json")
            .method(call[0], java.net.http.HttpRequest.BodyPublishers.ofString(call[2])).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
      }
      assertThat(curlStatus("vault.localhost", pier.routerPort(), "/a?b=1"))
          .isEqualTo("308 https://vault.localhost/a?b=1");
    }
  }

  /** curl -L from plain HTTP: the headers of every hop, then "STATUS FINAL-URL BODY". */
  private static List<String> curlFollow(Path caFile, String host, int http, int https, String path) throws Exception {
    Process p = new ProcessBuilder(List.of("curl", "-sS", "-i", "-L", "--max-time", "20", "--cacert", caFile.toString(),
        "--resolve", host + ":" + http + ":127.0.0.1", "--resolve", host + ":" + https + ":127.0.0.1",
        "-w", "\n%{http_code} %{url_effective}", "http://" + host + ":" + http + path))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    assertThat(p.waitFor()).as(out).isZero();
    List<String> lines = new java.util.ArrayList<>(List.of(out.split("\n")));
    String last = lines.removeLast();
    String body = lines.removeLast();
    lines.add(last + " " + body);
    return lines;
  }

  /** One plain-HTTP request without following: "STATUS REDIRECT-URL" (no redirect: "STATUS "). */
  private static String curlStatus(String host, int port, String path) throws Exception {
    Process p = new ProcessBuilder(List.of("curl", "-sS", "-o", "/dev/null", "--max-time", "10",
        "--resolve", host + ":" + port + ":127.0.0.1", "-w", "%{http_code} %{redirect_url}",
        "http://" + host + ":" + port + path)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  private static String curl(Path caFile, String host, int port) throws Exception {
    Process p = new ProcessBuilder(List.of("curl", "-sS", "--max-time", "10", "--cacert",
        caFile.toString(), "--resolve", host + ":" + port + ":127.0.0.1",
        "-w", "\n%{http_code}", "https://" + host + ":" + port + "/"))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    int lastLine = out.lastIndexOf('\n');
    return out.substring(lastLine + 1) + " " + out.substring(0, lastLine); // "STATUS BODY"
  }
}
