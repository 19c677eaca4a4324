package dev.pier.logstore;

import dev.pier.model.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.util.BytesRef;

/**
 * The index layout of one log line, and a reusable Lucene document that holds it.
 *
 * <p>Fields: {@code app}, {@code kind} (indexed keywords), {@code process} (keyword, stored
 * as UTF-8 bytes), {@code source} (stored), {@code text} (analysed by {@link LogAnalyzer}; stored
 * as UTF-8 bytes in {@code line}), {@code seq} (append order, a doc value), {@code time} (epoch nanoseconds as
 * a point for range queries and a doc value for sorting; a search reads a hit's time from the sort
 * values, so it is not stored). The app and kind are not stored:
 * every search names its app, and the kind follows from source and process.
 *
 * <p>An instance is not thread-safe: the single writer thread owns one and refills it for every
 * line, which spares the allocation of ten fields per line, and keeps the UTF-8 forms of the
 * app, kind and process names it has seen (at most 4096) instead of encoding them per line.
 */
final class LogDocument {
  static final String APP = "app";
  static final String KIND = "kind";
  static final String PROCESS = "process";
  static final String SOURCE = "source";
  static final String TEXT = "text";
  /** The text as stored: a field of its own, as Lucene wants one schema per field name. */
  static final String STORED_TEXT = "line";
  static final String TIME = "time";
  static final String SEQ = "seq";

  /** The stored fields a search loads to rebuild a {@link LogLine}; the time comes from the sort. */
  static final Set<String> STORED = Set.of(SOURCE, PROCESS, STORED_TEXT);

  /** Analysed with positions (for phrases); no norms, since hits are never scored. */
  private static final FieldType TEXT_TYPE = textType();

  private static final int MAX_CACHED_KEYWORDS = 4096;

  private final Document document = new Document();
  // Lucene refuses a new BytesRef for an indexed field, so these fields keep theirs, repointed.
  private final BytesRef appValue = new BytesRef();
  private final BytesRef kindValue = new BytesRef();
  private final BytesRef processValue = new BytesRef();
  private final Field app = new StringField(APP, appValue, Field.Store.NO);
  private final Field kind = new StringField(KIND, kindValue, Field.Store.NO);
  private final Field process = new StringField(PROCESS, processValue, Field.Store.YES);
  private final Field source = new StoredField(SOURCE, "");
  private final Field text = new Field(TEXT, "", TEXT_TYPE);
  private final Field storedText = new StoredField(STORED_TEXT, new BytesRef());
  /** UTF-8 forms of the app, kind and process names seen, which repeat from line to line. */
  private final Map<String, BytesRef> keywords = new HashMap<>();
  private final Field timePoint = new LongPoint(TIME, 0L);
  private final Field timeSort = new NumericDocValuesField(TIME, 0L);
  private final Field seq = new NumericDocValuesField(SEQ, 0L);
  /** The app of the line filled last, as its shared UTF-8 form. */
  private BytesRef lastApp;

  LogDocument() {
    for (Field f : new Field[] {app, kind, process, source, text, storedText, timePoint, timeSort, seq}) {
      document.add(f);
    }
  }

  /**
   * Refills the shared document with {@code line} and its append sequence number (the tie-break
   * between lines of one app with the same time) and returns it; valid until the next call.
   */
  Document fill(LogLine line, long sequence) {
    long nanos = nanos(line.time());
    lastApp = keyword(line.app());
    repoint(appValue, lastApp);
    repoint(kindValue, keyword(line.kind()));
    repoint(processValue, keyword(line.process()));
    source.setStringValue(line.source());
    text.setStringValue(line.text());
    // The JDK encodes a Latin-1 string to UTF-8 much faster than Lucene's char-by-char encoder.
    storedText.setBytesValue(line.text().getBytes(StandardCharsets.UTF_8));
    timePoint.setLongValue(nanos);
    timeSort.setLongValue(nanos);
    seq.setLongValue(sequence);
    return document;
  }

  /**
   * The app of the line filled last, UTF-8 encoded; the same instance for every line of an app
   * (until more than 4096 names were seen), so holding it keeps no line alive.
   */
  BytesRef app() {
    return lastApp;
  }

  private static void repoint(BytesRef field, BytesRef value) {
    field.bytes = value.bytes;
    field.offset = value.offset;
    field.length = value.length;
  }

  private BytesRef keyword(String value) {
    BytesRef bytes = keywords.get(value);
    if (bytes == null) {
      if (keywords.size() >= MAX_CACHED_KEYWORDS) keywords.clear();
      bytes = new BytesRef(value);
      keywords.put(value, bytes);
    }
    return bytes;
  }

  private static FieldType textType() {
    FieldType type = new FieldType(TextField.TYPE_NOT_STORED);
    type.setOmitNorms(true);
    type.freeze();
    return type;
  }

  /** Rebuilds a line of {@code app} from the {@link #STORED} fields and the time of a hit. */
  static LogLine read(Document stored, String app, long timeNanos) {
    return new LogLine(
        instant(timeNanos),
        app,
        stored.get(SOURCE),
        utf8(stored.getBinaryValue(PROCESS)),
        utf8(stored.getBinaryValue(STORED_TEXT)));
  }

  private static String utf8(BytesRef utf8) {
    return new String(utf8.bytes, utf8.offset, utf8.length, StandardCharsets.UTF_8);
  }

  /** Epoch nanoseconds, saturated to the long range (years 1677 to 2262). */
  static long nanos(Instant time) {
    try {
      return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
    } catch (ArithmeticException e) {
      return time.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
