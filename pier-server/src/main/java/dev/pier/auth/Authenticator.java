package dev.pier.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Checks API tokens for the REST API and git basic auth. For now there is one admin token: read
 * from {@code PIER_ADMIN_TOKEN} (preset), else from the owner-only file in the data directory,
 * else generated on first start and written there.
 */
public final class Authenticator {
  /** The user name recorded for actions taken with the admin token. */
  public static final String ADMIN = "admin";

  private final byte[] adminToken;

  private Authenticator(String adminToken) {
    this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
  }

  /** Result of loading: the authenticator and whether the token was generated just now. */
  public record Loaded(Authenticator authenticator, String token, boolean generated) {}

  public static Loaded load(Path tokenFile, String preset) {
    try {
      String token = preset;
      boolean generated = false;
      if (token == null || token.isBlank()) {
        if (Files.exists(tokenFile)) {
          token = Files.readString(tokenFile).trim();
        } else {
          byte[] random = new byte[24];
          new SecureRandom().nextBytes(random);
          token = "pier_" + HexFormat.of().formatHex(random);
          generated = true;
        }
      }
      if (token.length() < 16) {
        throw new IllegalArgumentException("admin token must be at least 16 characters long");
      }
      if (generated || !Files.exists(tokenFile)) {
        Files.deleteIfExists(tokenFile);
        Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tokenFile, token + "\n");
      }
      return new Loaded(new Authenticator(token), token, generated);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the admin token file " + tokenFile, e);
    }
  }

  /** Returns the user a token belongs to, or null. Constant-time comparison. */
  public String userFor(String token) {
    if (token == null) return null;
    return MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8)) ? ADMIN : null;
  }

  /**
   * Parses {@code Bearer TOKEN}; returns the user or null. The token must follow the one space
   * exactly: extra spaces before or after it make it a different, wrong token.
   */
  public String userForBearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
    return userFor(header.substring(7));
  }

  /**
   * Parses HTTP basic auth (any user name, the token as password); returns the user or null. The
   * password must be the token exactly, without surrounding spaces.
   */
  public String userForBasic(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
    try {
      String decoded =
          new String(java.util.Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : userFor(decoded.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
