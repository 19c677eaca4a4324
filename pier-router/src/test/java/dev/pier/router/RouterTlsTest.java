package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.router.tls.PierCa;
import dev.pier.router.tls.PierCaCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTPS on the router's TLS port: certificates by SNI name, then the same routing as plain HTTP. */
class RouterTlsTest {
  private static final PierCa CA = PierCa.create("Pier test CA");
  /** The CA of the certificates an app brings (trusted by the test client too). */
  private static final PierCa OTHER = PierCa.create("Another CA");
  private TestBackend web1;
  private TestBackend web2;
  private RouterHarness harness;
  private dev.pier.router.tls.AppCertificates appCertificates;

  @BeforeEach
  void start() throws Exception {
    web1 = new TestBackend("web.1");
    web2 = new TestBackend("web.2");
    harness = new RouterHarness();
    appCertificates = new dev.pier.router.tls.AppCertificates(new PierCaCertificates(CA, "localhost"));
    harness.router.startTls(0, appCertificates);
    harness.route("hello.localhost", "hello", web1.backend());
    harness.route("api.hello.localhost", "hello", web1.backend());
    harness.route("other.localhost", "other", web2.backend());
  }

  @AfterEach
  void stop() {
    harness.close();
    web1.close();
    web2.close();
  }

  @Test
  void eachAppGetsItsOwnCertificateAndItsOwnBackend() throws Exception {
    try (SSLSocket s = connect("hello.localhost", true)) {
      assertThat(names(s)).containsExactly("hello.localhost", "*.hello.localhost");
      String answer = get(s, "hello.localhost");
      assertThat(answer).startsWith("HTTP/1.1 200").contains("web.1\n")
          .contains("x-forwarded-proto: https\n")
          .contains("x-forwarded-port: " + harness.router.tlsPort() + "\n");
    }
    try (SSLSocket s = connect("other.localhost", true)) {
      assertThat(names(s)).containsExactly("other.localhost", "*.other.localhost");
      assertThat(get(s, "other.localhost")).contains("web.2\n");
    }
  }

  @Test
  void aSubdomainOfAnAppIsCoveredByTheAppWildcard() throws Exception {
    try (SSLSocket s = connect("api.hello.localhost", true)) {
      assertThat(names(s)).contains("*.hello.localhost");
      assertThat(get(s, "api.hello.localhost")).contains("web.1\n");
    }
  }

  @Test
  void anAppCertificateIsPresentedForItsNameAndPierCaForTheOthers() throws Exception {
    appCertificates.replace(List.of(OTHER.issue(List.of("api.hello.localhost"))));
    try (SSLSocket s = connect("api.hello.localhost", true)) {
      assertThat(names(s)).containsExactly("api.hello.localhost");
      X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
      leaf.verify(OTHER.certificate().getPublicKey());
      assertThat(get(s, "api.hello.localhost")).contains("web.1\n");
    }
    try (SSLSocket s = connect("hello.localhost", true)) {
      assertThat(names(s)).containsExactly("hello.localhost", "*.hello.localhost");
    }
  }

  @Test
  void aWebSocketWorksOverTls() throws Exception {
    try (WebSocketEchoBackend chat = new WebSocketEchoBackend("chat.1")) {
      harness.route("chat.localhost", "chat", chat.backend());
      try (WebSocketClient client = new WebSocketClient(connect("chat.localhost", true))) {
        RawClient.Head head = client.handshake("chat.localhost");
        assertThat(head.status()).isEqualTo(101);
        assertThat(chat.nextUpgrade().get("x-forwarded-proto")).isEqualTo("https");
        for (String message : List.of("hello", "x".repeat(70_000))) {
          client.sendText(message);
          assertThat(client.readFrame().text()).isEqualTo(message);
        }
      }
    }
  }

  @Test
  void anUnknownNameGetsTheDefaultCertificateAndTheHandshakeCompletes() throws Exception {
    try (SSLSocket s = connect("www.example.com", false)) {
      assertThat(names(s)).containsExactly("localhost");
      assertThat(get(s, "www.example.com")).startsWith("HTTP/1.1 404");
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCaFailsTheHandshake() throws Exception {
    SSLSocket s = (SSLSocket) SSLContext.getDefault().getSocketFactory()
        .createSocket(new Socket("127.0.0.1", harness.router.tlsPort()), "hello.localhost",
            harness.router.tlsPort(), true);
    try (s) {
      assertThatThrownBy(s::startHandshake).isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void plainHttpToTheTlsPortGetsTheConnectionClosed() throws Exception {
    try (Socket s = new Socket("127.0.0.1", harness.router.tlsPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(
          "GET / HTTP/1.1\r\nHost: hello.localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      try {
        while (in.read() != -1) {
          // whatever alert comes first, the router must then close
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the router kept a plain-HTTP connection to its TLS port open");
      } catch (IOException reset) {
        // a reset is a close too
      }
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (harness.router.clientConnections() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(harness.router.clientConnections()).isZero();
  }

  /** A TLS connection trusting only the test CA, sending {@code sni}; verifies the name if asked. */
  private SSLSocket connect(String sni, boolean verifyName) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("pier", CA.certificate());
    trust.setCertificateEntry("other", OTHER.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    int port = harness.router.tlsPort();
    SSLSocket s = (SSLSocket) ctx.getSocketFactory()
        .createSocket(new Socket("127.0.0.1", port), sni, port, true);
    SSLParameters params = s.getSSLParameters();
    params.setServerNames(List.of(new SNIHostName(sni)));
    if (verifyName) params.setEndpointIdentificationAlgorithm("HTTPS");
    s.setSSLParameters(params);
    s.setSoTimeout(5000);
    s.startHandshake();
    return s;
  }

  private static List<String> names(SSLSocket s) throws Exception {
    X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
    return leaf.getSubjectAlternativeNames().stream().map(n -> (String) n.get(1)).toList();
  }

  private static String get(SSLSocket s, String host) throws IOException {
    s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
        .replace("\r\n", "\n");
  }
}
