package dev.pier.metrics;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * The one latency-histogram shape used everywhere: milliseconds, 3 significant digits, values
 * clamped to 0 .. 10 minutes so that a histogram never grows past a fixed size. Closed windows keep
 * their histogram deflate-compressed (typically tens to a few hundred bytes) to bound memory.
 */
final class Histograms {
  static final int DIGITS = 3;
  static final long MAX_MS = 600_000;
  private static final byte[] EMPTY = new byte[0];

  private Histograms() {}

  static long clamp(long ms) {
    return ms < 0 ? 0 : Math.min(ms, MAX_MS);
  }

  /** A fresh accumulator that any window histogram can be added into. */
  static Histogram accumulator() {
    return new Histogram(DIGITS);
  }

  static byte[] compress(AbstractHistogram histogram) {
    if (histogram.getTotalCount() == 0) return EMPTY;
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return Arrays.copyOf(buffer.array(), length);
  }

  /** Adds a compressed histogram into {@code into}. */
  static void addTo(Histogram into, byte[] compressed) {
    if (compressed.length == 0) return;
    try {
      into.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(compressed), 0));
    } catch (DataFormatException e) {
      throw new IllegalStateException("corrupt latency histogram", e);
    }
  }
}
