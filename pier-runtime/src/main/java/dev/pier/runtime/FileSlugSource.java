package dev.pier.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A slug in a local file (release slugs are written once and never changed). Its digest is
 * computed the first time it is asked for, then kept. Equal to another source of the same path.
 */
public final class FileSlugSource implements SlugSource {
  private final Path path;
  private volatile String digest;

  public FileSlugSource(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  /** The file. */
  public Path path() {
    return path;
  }

  @Override
  public InputStream open() throws IOException {
    return Files.newInputStream(path);
  }

  @Override
  public String digest() {
    String known = digest;
    if (known != null) return known;
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(open(), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read slug " + path, e);
    }
    known = "sha256:" + HexFormat.of().formatHex(sha.digest());
    digest = known;
    return known;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileSlugSource other && other.path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return "slug file " + path;
  }
}
