package dev.pier.drains;

import dev.pier.model.LogLine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Encodes log lines as RFC 5424 syslog messages in RFC 6587 octet-counting framing, the format of
 * both syslog+tcp drains and the {@code application/logplex-1} bodies of HTTP drains:
 *
 * <pre>
 * 73 &lt;190&gt;1 2026-11-27T05:31:00.123456Z pier hello web.1 - - listening on 5000
 * ^len PRI  V TIMESTAMP                   HOST APP   PROCID MSGID SD MSG
 * </pre>
 *
 * <p>The length counts the UTF-8 bytes of the message after the space. HOSTNAME is always
 * {@code pier}, APP-NAME is the line's app, PROCID its process ({@code web.1}, {@code router},
 * {@code build}), MSGID and STRUCTURED-DATA are nil. Pier cannot tell stdout from stderr, so every
 * line has severity info (6); the facility tells the kind of line, as Heroku's logplex does for
 * app and router lines:
 *
 * <ul>
 *   <li>app output: local7 (23), PRI {@code <190>};
 *   <li>router access lines: local3 (19), PRI {@code <158>};
 *   <li>other platform lines (build, api, instance lifecycle): local0 (16), PRI {@code <134>}.
 * </ul>
 *
 * <p>Header fields are cut to their RFC 5424 lengths and characters outside printable ASCII are
 * replaced with {@code _}; the MSG is sent as is, without a BOM (as logplex does).
 */
final class SyslogFrames {
  static final String HOSTNAME = "pier";
  private static final int SEVERITY_INFO = 6;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

  private SyslogFrames() {}

  /** The PRI value for a line: facility by kind, severity info. */
  static int priority(LogLine line) {
    int facility = switch (line.kind()) {
      case "app" -> 23;
      case "router" -> 19;
      default -> 16;
    };
    return facility * 8 + SEVERITY_INFO;
  }

  /** The RFC 5424 message for one line, without framing. */
  static String message(LogLine line) {
    return "<" + priority(line) + ">1 " + TIME.format(line.time()) + " " + HOSTNAME + " "
        + field(line.app(), 48) + " " + field(line.process(), 128) + " - - "
        + (line.text() == null ? "" : line.text());
  }

  /** One octet-counted frame: {@code LEN SP MSG}. */
  static byte[] frame(LogLine line) {
    byte[] msg = message(line).getBytes(StandardCharsets.UTF_8);
    byte[] prefix = (msg.length + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + msg.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(msg, 0, out, prefix.length, msg.length);
    return out;
  }

  /** The frames of all lines, back to back. */
  static byte[] frames(List<LogLine> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 128);
    for (LogLine line : lines) out.writeBytes(frame(line));
    return out.toByteArray();
  }

  private static String field(String value, int maxLength) {
    if (value == null || value.isEmpty()) return "-";
    StringBuilder sb = new StringBuilder(Math.min(value.length(), maxLength));
    for (int i = 0; i < value.length() && sb.length() < maxLength; i++) {
      char c = value.charAt(i);
      sb.append(c > 32 && c < 127 ? c : '_');
    }
    return sb.toString();
  }
}
