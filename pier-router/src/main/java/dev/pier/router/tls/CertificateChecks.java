package dev.pier.router.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * Checks a certificate an app brings ({@code pier certs:add}): PEM that parses, a chain leaf
 * first with each certificate signed by the next, a private key that belongs to the leaf, every
 * certificate valid now, and DNS names in the leaf. Each failure is an IllegalArgumentException
 * whose message tells the user what is wrong.
 */
public final class CertificateChecks {
  private CertificateChecks() {}

  /** The checked key and chain of {@code certPem} and {@code keyPem}. */
  public static IssuedCertificate check(String certPem, String keyPem, Instant now) {
    List<X509Certificate> chain = PierCa.Pem.certificates(certPem);
    PrivateKey key = PierCa.Pem.privateKey(keyPem);
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      try {
        c.checkValidity(Date.from(now));
      } catch (CertificateExpiredException e) {
        throw new IllegalArgumentException(which(i) + " expired on " + c.getNotAfter().toInstant());
      } catch (CertificateNotYetValidException e) {
        throw new IllegalArgumentException(which(i) + " is not valid before "
            + c.getNotBefore().toInstant());
      }
      if (i + 1 < chain.size()) {
        X509Certificate issuer = chain.get(i + 1);
        boolean signed;
        try {
          c.verify(issuer.getPublicKey());
          signed = true;
        } catch (GeneralSecurityException e) {
          signed = false;
        }
        if (!signed || !c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
          throw new IllegalArgumentException("the chain is out of order: " + which(i)
              + " is not signed by the certificate after it; put the server certificate first,"
              + " then each issuer");
        }
      }
    }
    if (!matches(key, chain.getFirst())) {
      throw new IllegalArgumentException("the private key does not match the certificate");
    }
    if (names(chain.getFirst()).isEmpty()) {
      throw new IllegalArgumentException("the certificate names no DNS host (subjectAltName)");
    }
    return new IssuedCertificate(key, chain);
  }

  /** The DNS names (subjectAltName) of {@code cert}, lower case. */
  public static List<String> names(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      if (cert.getSubjectAlternativeNames() == null) return names;
      for (List<?> n : cert.getSubjectAlternativeNames()) {
        if (Integer.valueOf(2).equals(n.get(0))) names.add(((String) n.get(1)).toLowerCase(Locale.ROOT));
      }
    } catch (CertificateParsingException e) {
      throw new IllegalArgumentException("unreadable subjectAltName: " + e.getMessage(), e);
    }
    return names;
  }

  /** Whether {@code key} signs what the leaf's public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate leaf) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) return false;
    try {
      byte[] probe = "pier key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(probe);
      byte[] sig = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(leaf.getPublicKey());
      verify.update(probe);
      return verify.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String which(int i) {
    return i == 0 ? "the certificate" : "certificate " + (i + 1) + " of the chain";
  }
}
