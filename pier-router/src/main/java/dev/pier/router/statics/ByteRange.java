package dev.pier.router.statics;

/**
 * One byte range of a file, from a {@code Range: bytes=...} header (RFC 9110 section 14).
 *
 * @param start first byte, inclusive
 * @param length number of bytes, at least 1
 */
public record ByteRange(long start, long length) {
  /** The header asks for a range that the file does not have: the answer is 416. */
  public static final ByteRange UNSATISFIABLE = new ByteRange(-1, 0);

  /**
   * Reads {@code header} for a file of {@code size} bytes. Returns null when the whole file should
   * be sent: no header, a unit other than bytes, a syntax error, or several ranges (allowed by the
   * RFC: the server may ignore Range). Returns {@link #UNSATISFIABLE} when the one range asked for
   * starts beyond the end.
   */
  public static ByteRange parse(String header, long size) {
    if (header == null) return null;
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return null;
    String spec = h.substring(6).trim();
    if (spec.isEmpty() || spec.indexOf(',') >= 0) return null;
    int dash = spec.indexOf('-');
    if (dash < 0) return null;
    try {
      String first = spec.substring(0, dash).trim();
      String last = spec.substring(dash + 1).trim();
      if (first.isEmpty()) { // suffix: the last N bytes
        if (last.isEmpty()) return null;
        long n = Long.parseLong(last);
        if (n < 0) return null;
        if (n == 0 || size == 0) return UNSATISFIABLE;
        long len = Math.min(n, size);
        return new ByteRange(size - len, len);
      }
      long start = Long.parseLong(first);
      if (start < 0) return null;
      long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
      if (end < start) return null;
      if (start >= size) return UNSATISFIABLE;
      end = Math.min(end, size - 1);
      return new ByteRange(start, end - start + 1);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The {@code Content-Range} value for this range of a file of {@code size} bytes. */
  public String contentRange(long size) {
    return this == UNSATISFIABLE
        ? "bytes */" + size
        : "bytes " + start + "-" + (start + length - 1) + "/" + size;
  }
}
