package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.pier.acme.AcmeSettings;
import dev.pier.router.tls.CertificateChecks;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic certificates (#12, ACME) against a real ACME server: Let's Encrypt's pebble, which
 * validates HTTP-01 by fetching http://DOMAIN:ROUTER_PORT/.well-known/acme-challenge/TOKEN from
 * the router, with the domain resolved by a fake DNS on loopback. A domain whose address serves no
 * token fails with pebble's reason in {@code pier certs}, and keeps Pier's CA's certificate.
 */
class AcmeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void aCustomDomainGetsPebblesCertificateOverHttp01AndAChallengeNobodyAnswersShowsWhyItFailed()
      throws Exception {
    if (!Files.isExecutable(Pebble.BINARY)) {
      String why = "pebble is not installed (apt-get install -y pebble; bin/pier-test installs it)";
      if ("true".equals(System.getenv("CI"))) throw new AssertionError(why);
      Assumptions.abort(why);
    }
    InetAddress router = InetAddress.getByName("127.0.0.1");
    InetAddress elsewhere = InetAddress.getByName("127.0.0.2");
    try (FakeDns dns = new FakeDns(Map.of("www.shop.test", router, "broken.shop.test", elsewhere));
         Pebble pebble = new Pebble(tmp.resolve("pebble"));
         PlatformHarness pier = new PlatformHarness(tmp.resolve("pier"), s -> s.withAcme(
             new AcmeSettings(pebble.directory(), "ops@shop.test", pebble.tlsCaFile)))) {
      // broken.shop.test resolves to a server on the router's port that knows no token: 404.
      HttpServer notPier = HttpServer.create(new InetSocketAddress(elsewhere, pier.routerPort()), 0);
      notPier.createContext("/", ex -> {
        ex.sendResponseHeaders(404, -1);
        ex.close();
      });
      notPier.start();
      try {
        long t0 = System.nanoTime();
        pebble.start(pier.routerPort(), dns.address());
        System.out.printf("ACME: pebble up in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        pier.login();
        PlatformHarness.check(pier.cli(tmp, "apps:create", "shop", "--no-remote"));
        PlatformHarness.check(pier.cli(tmp, "domains:add", "www.shop.test", "-a", "shop"));
        PlatformHarness.check(pier.cli(tmp, "domains:add", "broken.shop.test", "-a", "shop"));
        System.out.printf("ACME: app and domains in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        assertThat(PlatformHarness.check(pier.cli(tmp, "certs:auto:enable", "-a", "shop")).out())
            .contains("Automatic certificates for shop are on.");

        long started = System.nanoTime();
        awaitStatus(pier, Map.of("www.shop.test", "issued", "broken.shop.test", "failed"), pebble);
        System.out.printf("ACME: both orders done in %d ms%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        String certs = PlatformHarness.check(pier.cli(tmp, "certs", "-a", "shop")).out();
        assertThat(certs.lines().filter(l -> l.contains("www.shop.test")).findFirst().orElseThrow())
            .contains("CN=Pebble Intermediate CA").contains("acme").contains("issued");
        assertThat(certs).containsPattern("broken.shop.test: challenge failed: .*404");

        // SNI www.shop.test: pebble's certificate, verified against pebble's issuing root.
        X509Certificate root = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pebble.issuingRoot().getBytes()));
        X509Certificate leaf = handshake(pier.routerTlsPort(), "www.shop.test", trusting(root));
        assertThat(CertificateChecks.names(leaf)).containsExactly("www.shop.test");
        assertThat(leaf.getIssuerX500Principal().getName()).contains("Pebble Intermediate CA");

        // Stored: after a restart (account key and certificate read back) it is still served.
        pier.restart();
        assertThat(handshake(pier.routerTlsPort(), "www.shop.test", trusting(root)).getSerialNumber())
            .isEqualTo(leaf.getSerialNumber());

        // The failed domain keeps the certificate of Pier's own CA meanwhile.
        X509Certificate fallback = handshake(pier.routerTlsPort(), "broken.shop.test", TRUST_ALL);
        assertThat(fallback.getIssuerX500Principal().getName()).contains("Pier local CA");

        // A removed domain's ACME certificate is no longer served.
        PlatformHarness.check(pier.cli(tmp, "domains:remove", "www.shop.test", "-a", "shop"));
        X509Certificate after = handshake(pier.routerTlsPort(), "www.shop.test", TRUST_ALL);
        assertThat(after.getIssuerX500Principal().getName()).doesNotContain("Pebble");
      } finally {
        notPier.stop(0);
      }
    }
  }

  /** Polls {@code pier certs:auto --json}-like state until each domain has its status (60 s at most). */
  private static void awaitStatus(PlatformHarness pier, Map<String, String> wanted, Pebble pebble)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < deadline) {
      JsonNode certs = JSON.readTree(PlatformHarness.check(pier.cli(pier.root, "certs", "-a", "shop", "--json")).out());
      last = certs.toString();
      boolean all = true;
      for (Map.Entry<String, String> w : wanted.entrySet()) {
        boolean found = false;
        for (JsonNode c : certs) {
          if ("acme".equals(c.path("source").asText()) && c.path("names").path(0).asText().equals(w.getKey())
              && c.path("status").asText().equals(w.getValue())) {
            found = true;
          }
        }
        all &= found;
      }
      if (all) return;
      Thread.sleep(200);
    }
    throw new AssertionError("statuses " + wanted + " not reached: " + last + "\npebble log:\n" + pebble.log());
  }

  private static X509Certificate handshake(int port, String sni, TrustManager trust) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {trust}, null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters params = s.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName(sni)));
      if (trust != TRUST_ALL) params.setEndpointIdentificationAlgorithm("HTTPS"); // by the SNI name
      s.setSSLParameters(params);
      s.setSoTimeout(10_000);
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  private static TrustManager trusting(X509Certificate root) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("pebble-root", root);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return tmf.getTrustManagers()[0];
  }

  /** Accepts any certificate: to look at what the router presents, not to trust it. */
  private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  };

}
