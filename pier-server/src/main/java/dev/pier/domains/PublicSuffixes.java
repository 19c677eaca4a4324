package dev.pier.domains;

import com.google.common.net.InternetDomainName;

/**
 * The public suffix list (Mozilla's, as bundled with Guava): names under which anyone may register
 * a domain ({@code com}, {@code co.uk}, {@code github.io}). A custom domain may not be one, and a
 * wildcard may not sit directly under one, or an app would catch every site below it.
 */
final class PublicSuffixes {
  private PublicSuffixes() {}

  /** Whether {@code name} (lowercase, no wildcard) is itself a public suffix, ICANN or private. */
  static boolean isPublicSuffix(String name) {
    try {
      return InternetDomainName.from(name).isPublicSuffix();
    } catch (IllegalArgumentException e) {
      return false; // not a name Guava reads; HostNames has checked the labels already
    }
  }
}
