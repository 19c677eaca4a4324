package dev.pier.acme;

import java.time.Instant;

/**
 * An order that did not give a certificate, with a reason a user can act on ("challenge failed:
 * ...", "cannot reach the ACME server: ...", "rate limited: ..."), and the time the CA asked to
 * wait until, if it did.
 */
public final class AcmeFailure extends Exception {
  private final transient Instant retryAfter;

  public AcmeFailure(String reason, Instant retryAfter) {
    super(reason);
    this.retryAfter = retryAfter;
  }

  public AcmeFailure(String reason) {
    this(reason, null);
  }

  /** When the CA said to try again (a rate limit), or null. */
  public Instant retryAfter() {
    return retryAfter;
  }
}
