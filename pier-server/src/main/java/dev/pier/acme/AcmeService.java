package dev.pier.acme;

import dev.pier.errors.PlatformException;
import dev.pier.router.tls.CertificateChecks;
import dev.pier.router.tls.IssuedCertificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic certificates ({@code pier certs:auto:enable}): keeps one certificate from the ACME CA
 * per custom domain of each app that turned them on. One virtual thread looks for due orders
 * ({@link #runDue}) when woken (an app turned them on, a domain was added) and once a minute, and
 * runs them side by side, {@value #PARALLEL_ORDERS} at most, so a host name whose challenge hangs
 * at the CA does not hold up the others; each issued certificate is published to the router at
 * once ({@code publish}).
 */
public final class AcmeService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AcmeService.class);
  /** How often the worker looks for due orders and renewals without being woken. */
  static final Duration TICK = Duration.ofMinutes(1);
  /** Orders run at once at most: ACME CAs limit new orders per account, so not one per domain. */
  static final int PARALLEL_ORDERS = 4;
  static final String WILDCARD_REASON = "a wildcard domain needs the DNS-01 challenge, which Pier"
      + " does not do: add a certificate for it with pier certs:add";

  private final AcmeStore store;
  private final CertificateAuthority ca;
  private final String offReason;
  private final Function<String, List<String>> domainsOf;
  private final InstantSource clock;
  private volatile Runnable publish = () -> {};
  private final ArrayBlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
  private volatile Thread worker;
  private final java.util.Set<String> ordering = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * {@code ca} is null when automatic certificates are off on this server, {@code offReason} then
   * saying why; {@code domainsOf} gives an app's custom domains.
   */
  public AcmeService(AcmeStore store, CertificateAuthority ca, String offReason,
      Function<String, List<String>> domainsOf, InstantSource clock) {
    this.store = store;
    this.ca = ca;
    this.offReason = offReason;
    this.domainsOf = domainsOf;
    this.clock = clock;
  }

  /** What to run when the set of served certificates changed (the certificate service's publish). */
  public void onChange(Runnable publish) {
    this.publish = publish;
  }

  /** Turns automatic certificates on for {@code app}: 409 when this server has no ACME CA. */
  public Map<String, Object> enable(String app) {
    if (ca == null) throw PlatformException.conflict(offReason);
    store.enable(app, clock.instant());
    wake();
    return status(app);
  }

  /** Turns them off: the app's ACME certificates stop being served at once. */
  public Map<String, Object> disable(String app) {
    if (store.disable(app)) publish.run();
    return status(app);
  }

  /** Whether {@code app} has them on, and the state of each of its custom domains. */
  public Map<String, Object> status(String app) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("app", app);
    v.put("enabled", store.enabled(app));
    v.put("available", ca != null);
    if (ca == null) v.put("reason", offReason);
    v.put("domains", views(app));
    return v;
  }

  /** One row per custom domain of {@code app} for {@code pier certs}, if it has them on. */
  public List<Map<String, Object>> views(String app) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!store.enabled(app)) return out;
    for (String host : domainsOf.apply(app)) {
      Map<String, Object> v = new LinkedHashMap<>();
      AcmeStore.Row row = host.startsWith("*.") ? null
          : store.find(host).filter(r -> r.app().equals(app)).orElse(null);
      v.put("id", null);
      v.put("names", List.of(host));
      v.put("issuer", row == null ? null : row.issuer());
      v.put("expires", row == null || row.notAfter() == null ? null : row.notAfter().toString());
      v.put("source", "acme");
      String status;
      String reason = row == null ? null : row.reason();
      if (host.startsWith("*.")) {
        status = "unsupported";
        reason = WILDCARD_REASON;
      } else if (ordering.contains(host)) {
        status = "ordering";
      } else if (row != null && row.hasCertificate()) {
        status = row.notAfter().isAfter(clock.instant()) ? "issued" : "expired";
      } else {
        status = row != null && row.reason() != null ? "failed" : "pending";
      }
      v.put("status", status);
      v.put("reason", reason);
      v.put("next_attempt", row == null || row.nextAttempt() == null ? null : row.nextAttempt().toString());
      out.add(v);
    }
    return out;
  }

  /**
   * The ACME certificates to serve now: unexpired ones of host names that are still custom domains
   * of an app with automatic certificates on (a removed domain's certificate is not served).
   */
  public List<IssuedCertificate> served() {
    Instant now = clock.instant();
    Map<String, String> wanted = wanted();
    List<IssuedCertificate> out = new ArrayList<>();
    for (AcmeStore.Row row : store.all()) {
      if (!row.hasCertificate() || !row.app().equals(wanted.get(row.hostname()))
          || !row.notAfter().isAfter(now)) {
        continue; // not a domain of that app any more, or expired
      }
      try {
        out.add(CertificateChecks.check(row.certPem(), row.keyPem(), row.notAfter().minusSeconds(1)));
      } catch (IllegalArgumentException e) {
        LOG.warn("ACME certificate of {} is not served: {}", row.hostname(), e.getMessage());
      }
    }
    return out;
  }

  /** A custom domain was added or removed: serve what is right now, order what is missing. */
  public void domainsChanged() {
    publish.run();
    wake();
  }

  /**
   * Orders a certificate for every host name that is due: never ordered, failed and past its
   * retry time, or at its renewal time ({@link RenewalPolicy}); forgets host names that are no
   * longer wanted. Blocks for as long as the CA takes.
   */
  public void runDue() throws InterruptedException {
    if (ca == null) return;
    Map<String, String> wanted = wanted();
    boolean changed = false;
    for (AcmeStore.Row row : store.all()) {
      if (!row.app().equals(wanted.get(row.hostname()))) {
        store.remove(row.hostname());
        changed |= row.hasCertificate();
      }
    }
    if (changed) publish.run();
    List<Thread> orders = new ArrayList<>();
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PARALLEL_ORDERS);
    java.util.concurrent.atomic.AtomicReference<InterruptedException> interrupted =
        new java.util.concurrent.atomic.AtomicReference<>();
    try {
      for (Map.Entry<String, String> e : wanted.entrySet()) {
        String host = e.getKey();
        String app = e.getValue();
        AcmeStore.Row row = store.find(host).orElse(null);
        if (!due(row, clock.instant()) || !stillWanted(host, app)) continue;
        slots.acquire();
        if (interrupted.get() != null) {
          slots.release();
          break;
        }
        ordering.add(host);
        orders.add(Thread.ofVirtual().name("pier-acme-" + host).start(() -> {
          try {
            order(host, app, row);
          } catch (InterruptedException stop) {
            interrupted.compareAndSet(null, stop);
          } finally {
            ordering.remove(host);
            slots.release();
          }
        }));
      }
      for (Thread t : orders) t.join();
    } catch (InterruptedException stop) {
      orders.forEach(Thread::interrupt);
      throw stop;
    }
    if (interrupted.get() != null) throw interrupted.get();
  }

  /** Orders {@code host}'s certificate for {@code app} and stores the outcome; blocks for as long as the CA takes. */
  private void order(String host, String app, AcmeStore.Row row) throws InterruptedException {
    if (!stillWanted(host, app)) return; // removed while waiting for a free slot
    try {
      CertificateAuthority.Issued issued = ca.order(host);
      if (!stillWanted(host, app)) {
        LOG.info("ACME certificate for {} dropped: no longer a domain of app {}", host, app);
        return;
      }
      IssuedCertificate checked = CertificateChecks.check(issued.certPem(), issued.keyPem(), clock.instant());
      if (!CertificateChecks.names(checked.leaf()).contains(host)) {
        throw new AcmeFailure("the CA issued a certificate that does not name " + host);
      }
      X509Certificate leaf = checked.leaf();
      store.issued(host, app, issued.certPem(), issued.keyPem(), leaf.getIssuerX500Principal().getName(),
          leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), clock.instant());
      LOG.info("ACME certificate for {} (app {}) issued by {}, expires {}", host, app,
          leaf.getIssuerX500Principal().getName(), leaf.getNotAfter().toInstant());
      publish.run();
    } catch (AcmeFailure | IllegalArgumentException f) {
      String reason = f instanceof IllegalArgumentException ? "unusable certificate from the CA: "
          + f.getMessage() : f.getMessage();
      int failures = row == null ? 1 : row.failures() + 1;
      Instant next = clock.instant().plus(RenewalPolicy.retryAfter(failures));
      if (f instanceof AcmeFailure af && af.retryAfter() != null && af.retryAfter().isAfter(next)) {
        next = af.retryAfter();
      }
      if (!stillWanted(host, app)) return;
      store.failed(host, app, reason, next, clock.instant());
      LOG.warn("ACME certificate for {} (app {}) failed, next try at {}: {}", host, app, next, reason);
    } catch (RuntimeException ex) {
      Instant next = clock.instant().plus(RenewalPolicy.retryAfter(row == null ? 1 : row.failures() + 1));
      LOG.warn("ACME certificate for {} (app {}) failed", host, app, ex);
      if (!stillWanted(host, app)) return;
      store.failed(host, app, "internal error: " + ex, next, clock.instant());
    }
  }

  /**
   * Whether {@code host} is still a custom domain of {@code app} with automatic certificates on:
   * checked again before an order and before storing its outcome, as an order can take minutes
   * during which the domain may be removed or moved, the app renamed or its certificates turned off.
   */
  private boolean stillWanted(String host, String app) {
    return store.enabled(app) && domainsOf.apply(app).contains(host);
  }

  /** Whether {@code host} needs an order now. */
  static boolean due(AcmeStore.Row row, Instant now) {
    if (row == null) return true;
    if (row.nextAttempt() != null && now.isBefore(row.nextAttempt())) return false;
    if (!row.hasCertificate()) return true;
    return !now.isBefore(RenewalPolicy.renewAt(row.notBefore(), row.notAfter()));
  }

  /** Host name to app, for the custom domains (no wildcards) of apps with automatic certificates. */
  private Map<String, String> wanted() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String app : store.enabledApps()) {
      for (String host : domainsOf.apply(app)) {
        if (!host.startsWith("*.")) out.put(host, app);
      }
    }
    return out;
  }

  /** Starts the worker (a virtual thread); no-op when automatic certificates are off. */
  public synchronized AcmeService start() {
    if (ca == null || worker != null) return this;
    worker = Thread.ofVirtual().name("pier-acme").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          runDue();
          wake.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          return;
        } catch (Throwable e) { // an Error too: the worker must outlive one bad pass
          LOG.warn("ACME pass failed", e);
          try {
            Thread.sleep(TICK.toMillis());
          } catch (InterruptedException stop) {
            return;
          }
        }
      }
    });
    return this;
  }

  private void wake() {
    wake.offer(Boolean.TRUE); // one pending wake-up at most: a busy worker makes one more pass
  }

  @Override
  public void close() throws InterruptedException {
    Thread w = worker;
    if (w == null) return;
    w.interrupt();
    w.join(5_000);
  }
}
