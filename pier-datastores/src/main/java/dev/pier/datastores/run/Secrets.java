package dev.pier.datastores.run;

import java.security.SecureRandom;

/** Random passwords and names: URL-safe, no character that needs escaping in a URL or a config file. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";

  private Secrets() {}

  /** A 32-character password (about 190 bits). */
  public static String password() {
    return random(ALPHABET, 32);
  }

  /** A name of a letter and 13 lowercase letters or digits (a role, a database, a vhost). */
  public static String name() {
    return random("abcdefghijklmnopqrstuvwxyz", 1) + random(LOWER, 13);
  }

  private static String random(String alphabet, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    return s.toString();
  }
}
