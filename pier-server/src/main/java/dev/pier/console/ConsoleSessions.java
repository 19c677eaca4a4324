package dev.pier.console;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's logins: a random 256-bit session id in an {@code HttpOnly; SameSite=Strict}
 * cookie, mapped server-side (by its SHA-256, so lookups leak nothing about live ids) to the user
 * and a per-session CSRF token. Sessions end at logout or {@link #ttl} after login. Thread-safe.
 *
 * <p>{@link #access} is what the REST API asks when a request carries no bearer token: requests
 * other than GET/HEAD/OPTIONS must repeat the session's CSRF token in {@value #CSRF_HEADER}.
 */
public final class ConsoleSessions {
  /** Name of the session cookie. */
  public static final String COOKIE = "pier_console";
  /** Header that must carry the session's CSRF token on state-changing requests. */
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** Live sessions kept at most; the oldest expiring one goes first beyond that. */
  static final int MAX_SESSIONS = 1000;

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** One logged-in browser. {@code id} is only known to the browser and {@link #create}'s caller. */
  public record Session(String id, String user, String csrfToken, Instant expiresAt) {
    public Session {
      if (id == null || user == null || csrfToken == null || expiresAt == null) {
        throw new NullPointerException("id, user, csrfToken and expiresAt are required");
      }
    }
  }

  /** What a request's console cookie proves to the API. */
  public sealed interface Access {
    /** No console cookie, or one naming no live session: the request is unauthenticated. */
    record None() implements Access {}

    /** A live session; the request may proceed as {@code user}. */
    record Granted(String user) implements Access {}

    /** A live session, but the request must be refused (403) for the reason given. */
    record Refused(String detail) implements Access {}
  }

  private final Map<String, Session> byHash = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final InstantSource clock;
  private final Duration ttl;

  public ConsoleSessions(InstantSource clock, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive");
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Twelve-hour sessions on the system clock. */
  public static ConsoleSessions standard() {
    return new ConsoleSessions(InstantSource.system(), Duration.ofHours(12));
  }

  public Duration ttl() {
    return ttl;
  }

  /** Starts a session for an authenticated user. */
  public Session create(String user) {
    purgeExpired();
    if (byHash.size() >= MAX_SESSIONS) {
      byHash.entrySet().stream()
          .min(Map.Entry.comparingByValue(java.util.Comparator.comparing(Session::expiresAt)))
          .ifPresent(e -> byHash.remove(e.getKey()));
    }
    Session s = new Session(randomToken(), user, randomToken(), clock.instant().plus(ttl));
    byHash.put(hash(s.id()), s);
    return s;
  }

  /** The live session with this id, or null (unknown, ended or expired). */
  public Session find(String id) {
    if (id == null || id.isEmpty() || id.length() > 100) return null;
    String key = hash(id);
    Session s = byHash.get(key);
    if (s == null) return null;
    if (!clock.instant().isBefore(s.expiresAt())) {
      byHash.remove(key);
      return null;
    }
    return s;
  }

  /** The live session named by the request's console cookie, or null. */
  public Session find(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) return null;
    for (Cookie c : cookies) {
      if (COOKIE.equals(c.getName())) {
        Session s = find(c.getValue());
        if (s != null) return s;
      }
    }
    return null;
  }

  /** Ends a session; unknown ids are ignored. */
  public void end(String id) {
    if (id != null) byHash.remove(hash(id));
  }

  /** True when {@code token} is this session's CSRF token (constant-time). */
  public static boolean csrfMatches(Session session, String token) {
    return token != null
        && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
            token.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decides an API request that carries no valid bearer token: {@link Access.None} without a live
   * session cookie, {@link Access.Refused} for a state-changing request whose {@value #CSRF_HEADER}
   * is missing or wrong, else {@link Access.Granted}.
   */
  public Access access(HttpServletRequest request) {
    Session s = find(request);
    if (s == null) return new Access.None();
    if (SAFE_METHODS.contains(request.getMethod())) return new Access.Granted(s.user());
    String token = request.getHeader(CSRF_HEADER);
    if (token == null) {
      return new Access.Refused(CSRF_HEADER + " header missing: console requests that change state must send the session's CSRF token");
    }
    if (!csrfMatches(s, token)) {
      return new Access.Refused(CSRF_HEADER + " does not match this session; reload the console");
    }
    return new Access.Granted(s.user());
  }

  /** Number of live sessions (expired ones are dropped first). */
  public int size() {
    purgeExpired();
    return byHash.size();
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    byHash.values().removeIf(s -> !now.isBefore(s.expiresAt()));
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return B64.encodeToString(bytes);
  }

  private static String hash(String id) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
