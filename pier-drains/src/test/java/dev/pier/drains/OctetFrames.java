package dev.pier.drains;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads RFC 6587 octet-counted frames strictly, failing on anything malformed. */
final class OctetFrames {
  private OctetFrames() {}

  /** The next message, or null at a clean end of stream between frames. */
  static String next(InputStream in) throws IOException {
    int c = in.read();
    if (c < 0) return null;
    int length = 0;
    int digits = 0;
    while (c != ' ') {
      if (c < '0' || c > '9') throw new IOException("bad frame: expected digit, got " + c);
      if (digits == 0 && c == '0') throw new IOException("bad frame: length starts with 0");
      length = length * 10 + (c - '0');
      if (++digits > 7) throw new IOException("bad frame: length too long");
      c = in.read();
      if (c < 0) throw new EOFException("stream ended inside a frame length");
    }
    byte[] msg = in.readNBytes(length);
    if (msg.length != length) throw new EOFException("stream ended inside a frame");
    return new String(msg, StandardCharsets.UTF_8);
  }

  /** All messages of a body that holds whole frames only. */
  static List<String> all(byte[] body) throws IOException {
    InputStream in = new ByteArrayInputStream(body);
    List<String> out = new ArrayList<>();
    for (String m = next(in); m != null; m = next(in)) out.add(m);
    return out;
  }

  static byte[] frame(String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] msg = message.getBytes(StandardCharsets.UTF_8);
    out.writeBytes((msg.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(msg);
    return out.toByteArray();
  }
}
