package dev.pier.sandbox;

/**
 * Keeps app code away from the platform's own ports. Instances share the host's network namespace
 * (the router reaches them on loopback), so without a guard an app could connect straight to
 * another app's instance port, or to Pier's API, skipping the router and its token checks.
 *
 * <p>A guard knows the platform's protected ports (the instance port range, the API). A {@link
 * #confine confined} uid cannot connect to them on any of the machine's own addresses (loopback
 * and the host's interfaces, IPv4 and IPv6), except for ports {@link #open opened} for it (its
 * instance's own port, so an app can call itself). Everything else stays open: the router, other
 * local ports (an app's own helper servers, a headless browser's debugging port), the internet.
 *
 * <p>Instance ports are also kept from everyone else: a port {@link #open opened} for a uid (an
 * instance listens on it) can be connected to only by that uid and the platform itself (root:
 * the router, readiness checks), not by other local users; and no other host reaches the
 * instance port range, so nothing bypasses the router.
 *
 * <p>Implementations must be thread-safe; when a call returns, the rule holds. Failures after
 * start are logged, not thrown: a guard that cannot add a rule must not stop an instance.
 */
public interface NetworkGuard extends AutoCloseable {
  /** A guard that confines nothing, for machines without nftables or runs without root. */
  NetworkGuard NONE = new NetworkGuard() {
    @Override
    public void confine(int uid) {}

    @Override
    public void open(int uid, int port) {}

    @Override
    public void shut(int uid, int port) {}

    @Override
    public void close() {}
  };

  /** From now on {@code uid} cannot reach protected ports other than its opened ones. Idempotent. */
  void confine(int uid);

  /**
   * Confines {@code uid} and makes {@code port} its own: an instance of it listens there, and only
   * it and the platform may connect to it.
   */
  void open(int uid, int port);

  /** Takes back an {@link #open} (the instance stopped); a no-op if it was not open. */
  void shut(int uid, int port);

  /**
   * Makes {@code port} a shared port (an add-on's server listens there, as {@code ownerUid}): from
   * now on no local uid may connect to it on the machine's own addresses except the platform
   * (root), {@code ownerUid} and the uids {@link #admit admitted} to it; no other host reaches it.
   * Idempotent. The default does nothing (for {@link #NONE}).
   */
  default void guardPort(int port, int ownerUid) {}

  /** Lets {@code uid} (an app the add-on is attached to) connect to the guarded {@code port}. Idempotent. */
  default void admit(int uid, int port) {}

  /** Takes back an {@link #admit}; other uids admitted to {@code port} keep it. A no-op if not admitted. */
  default void revoke(int uid, int port) {}

  /** Removes {@code port}'s guard and every admission to it (the add-on is gone). */
  default void unguard(int port) {}

  /** Removes every rule of this guard. */
  @Override
  void close();
}
