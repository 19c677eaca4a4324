package dev.pier.certs;

import java.time.Instant;
import java.util.List;

/** A certificate an app brought, as stored. */
public record StoredCertificate(long id, String app, List<String> names, String issuer,
    Instant notAfter, String certPem, String keyPem) {
  public StoredCertificate {
    names = List.copyOf(names);
  }
}
