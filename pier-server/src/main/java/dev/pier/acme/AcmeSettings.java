package dev.pier.acme;

import java.net.URI;
import java.nio.file.Path;

/**
 * The operator's ACME settings ({@code pier server --acme-directory URL --acme-email ADDRESS
 * --acme-ca-cert FILE}).
 *
 * @param directory the CA's ACME directory URL (Let's Encrypt:
 *     {@code https://acme-v02.api.letsencrypt.org/directory})
 * @param email contact address of the ACME account, or null for none
 * @param caCert PEM file of the CA whose certificate the ACME server's HTTPS presents (a test CA
 *     such as pebble's), or null to trust the JDK's usual CAs
 */
public record AcmeSettings(URI directory, String email, Path caCert) {
  public AcmeSettings {
    if (directory == null) throw new IllegalArgumentException("the ACME directory URL is required");
    String scheme = directory.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme) || directory.getHost() == null) {
      throw new IllegalArgumentException("invalid ACME directory URL '" + directory
          + "': use an https:// URL such as https://acme-staging-v02.api.letsencrypt.org/directory");
    }
    if (email != null && (email.isBlank() || !email.matches("[^@\\s]+@[^@\\s]+"))) {
      throw new IllegalArgumentException("invalid ACME email '" + email + "'");
    }
  }
}
