package dev.pier.e2e;

import dev.pier.router.tls.IssuedCertificate;
import dev.pier.router.tls.PierCa;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Let's Encrypt's ACME test server ({@code /usr/bin/pebble}, Debian package pebble) on loopback
 * ports: its HTTPS certificate comes from a test CA made here ({@link #tlsCaFile}), it resolves
 * names through the given DNS server and validates HTTP-01 on the given port. No sleeps in its
 * validation, no nonces refused at random, no authorization reused by a later order.
 */
final class Pebble implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/pebble");

  private final Path dir;
  final int port;
  final int managementPort;
  final Path tlsCaFile;
  private final SSLContext trust;
  private Process process;

  /** Chooses the ports and writes the TLS files; {@link #start} runs it. */
  Pebble(Path dir) throws Exception {
    this.dir = Files.createDirectories(dir);
    this.port = freePort();
    this.managementPort = freePort();
    PierCa ca = PierCa.create("Pebble TLS test CA");
    IssuedCertificate tls = ca.issue(List.of("localhost"));
    Files.writeString(dir.resolve("cert.pem"), PierCa.Pem.encode(tls.leaf()));
    Files.writeString(dir.resolve("key.pem"), PierCa.Pem.encode(tls.key()));
    tlsCaFile = dir.resolve("tls-ca.pem");
    Files.writeString(tlsCaFile, ca.rootPem());
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    trust = SSLContext.getInstance("TLS");
    trust.init(null, tmf.getTrustManagers(), null);
  }

  /** The ACME directory URL. */
  URI directory() {
    return URI.create("https://localhost:" + port + "/dir");
  }

  /** Starts pebble validating HTTP-01 on {@code httpPort}, resolving names with {@code dnsServer}. */
  void start(int httpPort, String dnsServer) throws Exception {
    Path config = dir.resolve("pebble-config.json");
    Files.writeString(config, """
        {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
          "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
          "ocspResponderURL": "", "externalAccountBindingRequired": false}}
        """.formatted(port, managementPort, dir.resolve("cert.pem"), dir.resolve("key.pem"),
        httpPort, freePort()));
    ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "-config", config.toString(),
        "-dnsserver", dnsServer)
        .redirectErrorStream(true).redirectOutput(dir.resolve("pebble.log").toFile());
    pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
    pb.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
    pb.environment().put("PEBBLE_AUTHZREUSE", "0"); // each order validates afresh
    process = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        if (get(directory()).statusCode() == 200) return;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("pebble did not start: " + log());
        }
        Thread.sleep(50);
      }
    }
  }

  /** The root that signs pebble's certificates (new at each pebble start), PEM. */
  String issuingRoot() throws Exception {
    HttpResponse<String> r = get(URI.create("https://localhost:" + managementPort + "/roots/0"));
    if (r.statusCode() != 200) throw new IllegalStateException("/roots/0: " + r.statusCode());
    return r.body();
  }

  String log() throws IOException {
    Path log = dir.resolve("pebble.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newBuilder().sslContext(trust)
        .connectTimeout(Duration.ofSeconds(5)).build()) {
      return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process == null) return;
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
