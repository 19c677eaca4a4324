package dev.pier.router;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * Where a request's split bucket (see {@link VersionPicker}) comes from, for each {@link
 * dev.pier.model.SplitBy} method: a fresh random draw, the {@value #COOKIE} cookie, or a hash of
 * the client's address. Thread-safe.
 */
final class SplitBucket {
  static final String COOKIE = "pier_split";

  private SplitBucket() {}

  /** Returns a uniformly random bucket. */
  static int random() {
    return ThreadLocalRandom.current().nextInt(VersionPicker.BUCKETS);
  }

  /**
   * Returns the bucket in the {@value #COOKIE} cookie of these {@code Cookie} header values, or -1
   * if there is none or its value is not an integer 0..9999 (plain digits).
   */
  static int fromCookies(List<String> cookieHeaders) {
    for (String header : cookieHeaders) {
      for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(header)) {
        if (COOKIE.equals(cookie.name())) {
          int bucket = parse(cookie.value());
          if (bucket >= 0) return bucket;
        }
      }
    }
    return -1;
  }

  /** Returns the {@code Set-Cookie} value that pins a client to {@code bucket} for a year. */
  static String setCookie(int bucket) {
    return COOKIE + "=" + bucket + "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax";
  }

  /**
   * Returns a stable bucket for the client's address (the socket peer, never a forwarded header,
   * which the client could choose freely): CRC32 of the address bytes, mixed, modulo 10000.
   */
  static int fromAddress(SocketAddress remote) {
    CRC32 crc = new CRC32();
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      crc.update(inet.getAddress().getAddress());
    } else {
      crc.update(String.valueOf(remote).getBytes(StandardCharsets.UTF_8));
    }
    return Math.floorMod(mix((int) crc.getValue()), VersionPicker.BUCKETS);
  }

  /** Murmur3's finalizer: spreads CRC32's nearly linear output over all bits. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  private static int parse(String value) {
    if (value == null || value.isEmpty() || value.length() > 4) return -1;
    int n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') return -1;
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
