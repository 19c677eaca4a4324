package dev.pier.domains;

import dev.pier.errors.PlatformException;
import java.util.Locale;
import java.util.Set;

/**
 * Which host names may be an app's custom domain: RFC 1123 labels (letters, digits, inner
 * hyphens, 1 to 63 characters), 253 characters at most, two labels at least, optionally
 * {@code *.} first (a wildcard for exactly one label); not an IP address, not a reserved name
 * ({@code localhost}, {@code *.local} ...), not the platform's own domain nor under it (its
 * {@code APP.DOMAIN}, {@code vN.APP.DOMAIN} and preview hosts belong to Pier), not a public
 * suffix nor a wildcard directly under one ({@code co.uk}, {@code *.co.uk}, {@code *.github.io}).
 */
public final class HostNames {
  private static final Set<String> RESERVED_TLDS = Set.of("localhost", "local", "invalid", "internal");

  private final String platformDomain;

  /** Host names checked against {@code platformDomain} (for example {@code localhost}). */
  public HostNames(String platformDomain) {
    this.platformDomain = normalize(platformDomain);
  }

  /** The canonical form: trimmed, lowercase, without a trailing dot. */
  public static String normalize(String hostname) {
    String h = hostname.trim().toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /** Returns {@code hostname} in canonical form, or throws a 422 saying what is wrong with it. */
  public String validate(String hostname) {
    if (hostname == null || hostname.isBlank()) throw invalid(hostname, "a host name is required");
    String h = normalize(hostname);
    if (h.length() > 253) throw invalid(hostname, "it is longer than 253 characters");
    String name = h.startsWith("*.") ? h.substring(2) : h;
    String[] labels = name.split("\\.", -1);
    if (labels.length < 2 && h.startsWith("*.") && PublicSuffixes.isPublicSuffix(name)) throw publicSuffix(hostname, h, name);
    if (labels.length < 2) throw invalid(hostname, "it needs at least two labels, e.g. www.example.com");
    for (String label : labels) {
      if (!validLabel(label)) {
        throw invalid(hostname, "each label must be 1 to 63 letters, digits or inner hyphens"
            + (h.indexOf('*', h.startsWith("*.") ? 2 : 0) >= 0 ? " (a wildcard is only allowed as *.example.com)" : ""));
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      throw invalid(hostname, "IP addresses cannot be custom domains");
    }
    if (name.equals(platformDomain) || name.endsWith("." + platformDomain)) {
      throw invalid(hostname, "names under " + platformDomain + " belong to Pier (APP." + platformDomain
          + " is every app's built-in domain)");
    }
    if (RESERVED_TLDS.contains(labels[labels.length - 1])) {
      throw invalid(hostname, "." + labels[labels.length - 1] + " names are reserved and never resolve publicly");
    }
    if (PublicSuffixes.isPublicSuffix(name)) throw publicSuffix(hostname, h, name);
    return h;
  }

  private static PlatformException publicSuffix(String hostname, String h, String name) {
    return invalid(hostname, name + " is a public suffix (anyone can register names under it)"
        + (h.startsWith("*.") ? ": a wildcard must be under a domain of your own, e.g. *.example." + name : ""));
  }

  private static boolean validLabel(String label) {
    int n = label.length();
    if (n < 1 || n > 63 || label.charAt(0) == '-' || label.charAt(n - 1) == '-') return false;
    for (int i = 0; i < n; i++) {
      char c = label.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) return false;
    }
    return true;
  }

  private static PlatformException invalid(String hostname, String why) {
    return PlatformException.invalid("invalid domain " + (hostname == null ? "" : "'" + hostname + "'") + ": " + why);
  }
}
