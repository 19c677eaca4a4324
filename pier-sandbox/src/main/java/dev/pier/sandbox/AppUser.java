package dev.pier.sandbox;

/**
 * The unprivileged host uid/gid an app's builds and instances run as. Each app gets its own, so
 * one app's processes cannot signal or read another's.
 */
public record AppUser(int uid, int gid) {
  public AppUser {
    if (uid <= 0 || gid <= 0) throw new IllegalArgumentException("app user must not be root");
  }
}
