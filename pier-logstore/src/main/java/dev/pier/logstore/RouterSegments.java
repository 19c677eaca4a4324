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
 * block   := compressedLength:int rawLength:int count:int crc32c(compressed):int compressed
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
  static ByteBuffer block(byte[] raw, int length, int count, LZ4.FastCompressionHashTable table) throws IOException {
    byte[] out = new byte[HEADER + length + length / 255 + 64];
    ByteArrayDataOutput data = new ByteArrayDataOutput(out, HEADER, out.length - HEADER);
    LZ4.compress(raw, 0, length, data, table);
    int compressed = data.getPosition() - HEADER;
    CRC32C crc = new CRC32C();
    crc.update(out, HEADER, compressed);
    ByteBuffer header = ByteBuffer.wrap(out, 0, HEADER).order(ByteOrder.BIG_ENDIAN);
    header.putInt(compressed).putInt(length).putInt(count).putInt((int) crc.getValue());
    return ByteBuffer.wrap(out, 0, HEADER + compressed);
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
      if (compressed <= 0 || compressed > length - at - HEADER || raw <= 0 || raw > MAX_RAW || count <= 0) break;
      CRC32C crc = new CRC32C();
      crc.update(file, at + HEADER, compressed);
      if ((int) crc.getValue() != b.getInt(at + 12)) break;
      offsets.add(at);
      at += HEADER + compressed;
    }
    return offsets;
  }

  /** The end of the intact blocks of {@code file}: where a torn tail begins. */
  static int intactLength(byte[] file) {
    List<Integer> offsets = blocks(file, file.length);
    if (offsets.isEmpty()) return 0;
    int last = offsets.getLast();
    return last + HEADER + ByteBuffer.wrap(file).getInt(last);
  }

  /** The records of the block at {@code offset}, in append order. */
  static List<Line> lines(byte[] file, int offset) throws IOException {
    ByteBuffer header = ByteBuffer.wrap(file);
    int compressed = header.getInt(offset);
    int rawLength = header.getInt(offset + 4);
    byte[] raw = new byte[rawLength];
    LZ4.decompress(new ByteArrayDataInput(file, offset + HEADER, compressed), rawLength, raw, 0);
    return records(raw, rawLength);
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
