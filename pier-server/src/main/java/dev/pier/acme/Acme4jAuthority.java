package dev.pier.acme;

import dev.pier.router.acme.Http01Challenges;
import dev.pier.router.tls.PierCa;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The real CA, over ACME with acme4j: an account (RSA key {@code account-key.pem}, owner-only, in
 * Pier's ACME folder, registered on first use with the operator's email and the CA's terms
 * agreed), and per order an HTTP-01 challenge answered by the router, then a CSR with a new EC
 * P-256 key. Blocks while the CA validates: call it off the event loops.
 */
public final class Acme4jAuthority implements CertificateAuthority {
  /** How long the CA may take to validate a challenge or to issue. */
  static final Duration WAIT = Duration.ofSeconds(90);

  private final AcmeSettings settings;
  private final Http01Challenges challenges;
  private final KeyPair accountKey;
  private final SSLContext trust;

  public Acme4jAuthority(AcmeSettings settings, Path dir, Http01Challenges challenges) {
    this.settings = settings;
    this.challenges = challenges;
    this.accountKey = accountKey(dir);
    this.trust = settings.caCert() == null ? null : trusting(settings.caCert());
  }

  @Override
  public Issued order(String host) throws AcmeFailure, InterruptedException {
    try {
      Order order = login().newOrder().domain(host).create();
      List<String> tokens = new ArrayList<>();
      try {
        for (Authorization auth : order.getAuthorizations()) {
          if (auth.getStatus() == Status.VALID) continue;
          Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow(
              () -> new AcmeFailure("the CA offers no HTTP-01 challenge for " + host));
          challenges.publish(host, challenge.getToken(), challenge.getAuthorization());
          tokens.add(challenge.getToken());
          challenge.trigger();
          if (challenge.waitForCompletion(WAIT) != Status.VALID) {
            throw new AcmeFailure("challenge failed: " + describe(challenge.getError())
                + " (the CA must reach http://" + host + "/.well-known/acme-challenge/ on port 80,"
                + " forwarded to the router)");
          }
        }
      } finally {
        tokens.forEach(challenges::withdraw);
      }
      KeyPair key = newKey();
      order.execute(key);
      if (order.waitForCompletion(WAIT) != Status.VALID) {
        throw new AcmeFailure("order failed: " + describe(order.getError()));
      }
      StringWriter chain = new StringWriter();
      order.getCertificate().writeCertificate(chain);
      return new Issued(chain.toString(), PierCa.Pem.encode(key.getPrivate()));
    } catch (AcmeRateLimitedException e) {
      throw new AcmeFailure("rate limited by the CA: " + e.getMessage(), e.getRetryAfter().orElse(null));
    } catch (AcmeNetworkException e) {
      throw new AcmeFailure("cannot reach the ACME server " + settings.directory() + ": " + rootMessage(e));
    } catch (AcmeException e) {
      throw new AcmeFailure("the CA refused: " + rootMessage(e));
    } catch (IOException e) {
      throw new AcmeFailure("cannot write the certificate: " + e.getMessage());
    }
  }

  /**
   * A login of the account on a session of its own: orders run side by side and an acme4j session
   * (its nonces) is not shared between them; costs one account look-up per order.
   */
  private Login login() throws AcmeException {
    GenericAcmeProvider provider = new GenericAcmeProvider() {
      @Override
      protected HttpConnector createHttpConnector(NetworkSettings network) {
        return new HttpConnector(network) {
          @Override
          public HttpClient.Builder createClientBuilder() {
            HttpClient.Builder b = super.createClientBuilder();
            return trust == null ? b : b.sslContext(trust);
          }
        };
      }
    };
    Session session = new Session(settings.directory(), provider);
    AccountBuilder account = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey);
    if (settings.email() != null) account.addEmail(settings.email());
    return account.createLogin(session);
  }

  private static String describe(Optional<Problem> problem) {
    return problem.map(p -> p.getDetail().orElse(p.toString())).orElse("no reason given");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return t == e ? m : e.getMessage() + " (" + m + ")";
  }

  private static KeyPair newKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 key generator: " + e.getMessage(), e);
    }
  }

  /**
   * The account key in {@code dir/account-key.pem}, created (owner-only) at first use; an existing
   * one and its folder are made owner-only again (0600, 0700) at each start.
   */
  static KeyPair accountKey(Path dir) {
    Path file = dir.resolve("account-key.pem");
    try {
      if (Files.exists(file)) {
        // Owner-only again, in case someone loosened them since (a copy, a restore, a chmod).
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        try (StringReader r = new StringReader(Files.readString(file))) {
          return KeyPairUtils.readKeyPair(r);
        }
      }
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      // RSA: its PEM key pair holds the public key too (a JDK EC key's does not read back).
      KeyPair pair = KeyPairUtils.createKeyPair(2048);
      StringWriter pem = new StringWriter();
      KeyPairUtils.writeKeyPair(pair, pem);
      Path tmp = dir.resolve("account-key.pem.tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, pem.toString());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return pair;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the ACME account key " + file + ": " + e.getMessage(), e);
    }
  }

  /** A TLS context that trusts only the certificates in {@code pemFile}. */
  static SSLContext trusting(Path pemFile) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate c : PierCa.Pem.certificates(Files.readString(pemFile))) {
        store.setCertificateEntry("ca" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot read the ACME CA certificate " + pemFile + ": " + e.getMessage(), e);
    }
  }
}
