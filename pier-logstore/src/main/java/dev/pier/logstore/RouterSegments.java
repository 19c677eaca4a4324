package dev.pier.logstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteArrayDataOutput;
import org.apache.lucene.util.compress.LZ4;

/**
 * The file format of {@link RouterLineStore}: append-only segment files of LZ4-compressed blocks.
 *
 * <pre>
 * segment := block*
 * block   := compressedLength:int rawLength:int count:int crc32c(words compressed):int words compressed
 * words   := a Bloom filter (8192 bits, 3 probes) of the block's words: maximal runs of ASCII
 *            letters and digits, lowercased ({@link #addWords}); a search for words the filter
 *            lacks skips the block without decompressing it
 * raw     := record*   (count records, rawLength bytes once decompressed)
 * record  := timeNanos:long textLength:int text:UTF-8
 * </pre>
 *
 * Integers are big-endian. A reader stops at the first block whose header is impossible or whose
 * checksum fails (a tail torn by a crash or a full disk): the blocks before it are intact, and
 * writers never append to a segment after such a tail (each run, and each failure, starts a new
 * segment). Names: {@code SEQ.open} while written; {@code SEQ_MIN_MAX_COUNT.seg} once closed, with
 * the lowest and highest line time (epoch nanoseconds) and the number of lines.
 */
final class RouterSegments {
  static final int HEADER = 16;
  static final int BLOOM_LONGS = 128;
  static final int BLOOM_BYTES = BLOOM_LONGS * 8;
  private static final int BLOOM_MASK = BLOOM_LONGS * 64 - 1;
  static final int RECORD_HEADER = 12;
  /** No block is bigger raw; guards a corrupt header against a huge allocation. */
  static final int MAX_RAW = 16 << 20;

  private RouterSegments() {}

  /** One record: a line's time and text. */
  record Line(long nanos, String text) {}

  /** A closed segment and what its name says. */
  record Segment(Path path, long seq, long minNanos, long maxNanos, long count) {
    static Segment parse(Path path) {
      String name = path.getFileName().toString();
      if (!name.endsWith(".seg")) return null;
      String[] parts = name.substring(0, name.length() - 4).split("_");
      if (parts.length != 4) return null;
      try {
        return new Segment(path, Long.parseLong(parts[0]), Long.parseLong(parts[1]),
            Long.parseLong(parts[2]), Long.parseLong(parts[3]));
      } catch (NumberFormatException e) {
        return null;
      }
    }

    static String name(long seq, long min, long max, long count) {
      return seq + "_" + min + "_" + max + "_" + count + ".seg";
    }
  }

  /** Compresses {@code raw[0, length)} holding {@code count} records into one block. */
  static ByteBuffer block(byte[] raw, int length, int count, long[] words, LZ4.FastCompressionHashTable table)
      throws IOException {
    int start = HEADER + BLOOM_BYTES;
    byte[] out = new byte[start + length + length / 255 + 64];
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.BIG_ENDIAN);
    for (int i = 0; i < BLOOM_LONGS; i++) b.putLong(HEADER + i * 8, words[i]);
    ByteArrayDataOutput data = new ByteArrayDataOutput(out, start, out.length - start);
    LZ4.compress(raw, 0, length, data, table);
    int compressed = data.getPosition() - start;
    CRC32C crc = new CRC32C();
    crc.update(out, HEADER, BLOOM_BYTES + compressed);
    b.putInt(0, compressed).putInt(4, length).putInt(8, count).putInt(12, (int) crc.getValue());
    return ByteBuffer.wrap(out, 0, start + compressed);
  }

  /** Adds the words of {@code utf8[off, off + len)} to {@code bloom}. */
  static void addWords(long[] bloom, byte[] utf8, int off, int len) {
    long h = FNV_OFFSET;
    boolean inWord = false;
    for (int i = off, end = off + len; i <= end; i++) {
      int c = i < end ? utf8[i] : ' ';
      if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        h = (h ^ c) * FNV_PRIME;
        inWord = true;
      } else if (inWord) {
        set(bloom, h);
        h = FNV_OFFSET;
        inWord = false;
      }
    }
  }

  /** The hash {@link #addWords} gives a lowercase ASCII word. */
  static long wordHash(String word) {
    long h = FNV_OFFSET;
    for (int i = 0; i < word.length(); i++) h = (h ^ word.charAt(i)) * FNV_PRIME;
    return h;
  }

  /** Whether the block at {@code offset} of {@code file} may hold every word of {@code hashes}. */
  static boolean mayHold(byte[] file, int offset, long[] hashes) {
    ByteBuffer b = ByteBuffer.wrap(file);
    for (long h : hashes) {
      for (int k = 0; k < 3; k++) {
        int bit = probe(h, k);
        if ((b.getLong(offset + HEADER + (bit >>> 6) * 8) & (1L << bit)) == 0) return false;
      }
    }
    return true;
  }

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private static void set(long[] bloom, long h) {
    for (int k = 0; k < 3; k++) {
      int bit = probe(h, k);
      bloom[bit >>> 6] |= 1L << bit;
    }
  }

  private static int probe(long h, int k) {
    long mixed = h * 0x9E3779B97F4A7C15L;
    int h1 = (int) (mixed >>> 32);
    int h2 = (int) mixed | 1;
    return (h1 + k * h2) & BLOOM_MASK;
  }

  /** Offsets of the intact blocks of {@code file}'s first {@code length} bytes. */
  static List<Integer> blocks(byte[] file, int length) {
    List<Integer> offsets = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(file, 0, length);
    int at = 0;
    while (length - at >= HEADER) {
      int compressed = b.getInt(at);
      int raw = b.getInt(at + 4);
      int count = b.getInt(at + 8);
      if (compressed <= 0 || compressed > length - at - HEADER - BLOOM_BYTES || raw <= 0 || raw > MAX_RAW
          || count <= 0) {
        break;
      }
      CRC32C crc = new CRC32C();
      crc.update(file, at + HEADER, BLOOM_BYTES + compressed);
      if ((int) crc.getValue() != b.getInt(at + 12)) break;
      offsets.add(at);
      at += HEADER + BLOOM_BYTES + compressed;
    }
    return offsets;
  }

  /** The end of the intact blocks of {@code file}: where a torn tail begins. */
  static int intactLength(byte[] file) {
    List<Integer> offsets = blocks(file, file.length);
    if (offsets.isEmpty()) return 0;
    int last = offsets.getLast();
    return last + HEADER + BLOOM_BYTES + ByteBuffer.wrap(file).getInt(last);
  }

  /** The records of the block at {@code offset}, in append order. */
  static List<Line> lines(byte[] file, int offset) throws IOException {
    return records(raw(file, offset), rawLength(file, offset));
  }

  /** The decompressed records of the block at {@code offset} ({@link #rawLength} bytes). */
  static byte[] raw(byte[] file, int offset) throws IOException {
    int compressed = ByteBuffer.wrap(file).getInt(offset);
    int rawLength = rawLength(file, offset);
    byte[] raw = new byte[rawLength];
    LZ4.decompress(new ByteArrayDataInput(file, offset + HEADER + BLOOM_BYTES, compressed), rawLength, raw, 0);
    return raw;
  }

  static int rawLength(byte[] file, int offset) {
    return ByteBuffer.wrap(file).getInt(offset + 4);
  }

  /** The records in {@code raw[0, length)}; stops at a record that does not fit. */
  static List<Line> records(byte[] raw, int length) {
    List<Line> lines = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(raw, 0, length);
    int at = 0;
    while (length - at >= RECORD_HEADER) {
      long nanos = b.getLong(at);
      int n = b.getInt(at + 8);
      if (n < 0 || n > length - at - RECORD_HEADER) break;
      lines.add(new Line(nanos, new String(raw, at + RECORD_HEADER, n, StandardCharsets.UTF_8)));
      at += RECORD_HEADER + n;
    }
    return lines;
  }
}
