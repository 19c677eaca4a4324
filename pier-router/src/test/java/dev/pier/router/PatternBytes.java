package dev.pier.router;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A deterministic byte stream for large bodies, and a digesting sink to check them. */
final class PatternBytes {
  private PatternBytes() {}

  static void write(long count, OutputStream out) throws IOException {
    byte[] block = new byte[64 * 1024];
    long offset = 0;
    while (offset < count) {
      int n = (int) Math.min(block.length, count - offset);
      for (int i = 0; i < n; i++) block[i] = (byte) ((offset + i) * 31 + ((offset + i) >>> 16));
      out.write(block, 0, n);
      offset += n;
    }
  }

  static String sha256(long count) throws IOException {
    Digest digest = new Digest();
    write(count, digest);
    return digest.hex();
  }

  /** An OutputStream that keeps only a SHA-256 and a byte count. */
  static final class Digest extends OutputStream {
    private final MessageDigest sha;
    long count;

    Digest() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void write(int b) {
      sha.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      sha.update(b, off, len);
      count += len;
    }

    String hex() {
      return HexFormat.of().formatHex(sha.digest());
    }
  }
}
