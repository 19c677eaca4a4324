package dev.pier.acme;

/** Orders a certificate for one host name (the ACME CA; a fake in unit tests). */
@FunctionalInterface
public interface CertificateAuthority {
  /** A certificate for {@code host}: its PEM chain (leaf first) and private key. */
  Issued order(String host) throws AcmeFailure, InterruptedException;

  /** An issued certificate chain and its key, both PEM. */
  record Issued(String certPem, String keyPem) {}
}
