package dev.pier.sandbox;

/**
 * Keeps app code away from the machine's own network services. Instances share the host's network
 * namespace (the router reaches them on loopback), so without a guard an app could connect
 * straight to another app's instance port, or to Pier's API, skipping the router.
 *
 * <p>A {@link #confine confined} uid may connect to the machine's own addresses (loopback and the
 * host's interfaces, IPv4 and IPv6) only on the guard's public ports (the router) and on ports
 * {@link #open opened} for that uid (the instance's own port, so an app can call itself). Other
 * destinations (the internet, package registries, DNS servers elsewhere) are not affected.
 *
 * <p>Implementations must be thread-safe. Failures after start are logged, not thrown: a guard
 * that cannot add a rule must not stop an instance from running.
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
    public boolean active() {
      return false;
    }

    @Override
    public void close() {}
  };

  /** From now on {@code uid} reaches local addresses only on public and opened ports. Idempotent. */
  void confine(int uid);

  /** Lets {@code uid} connect to local TCP {@code port} (an instance port of its own app). */
  void open(int uid, int port);

  /** Takes back an {@link #open}; a no-op if it was not open. */
  void shut(int uid, int port);

  /** Whether the guard enforces anything (false for {@link #NONE}). */
  boolean active();

  /** Removes every rule of this guard. */
  @Override
  void close();
}
