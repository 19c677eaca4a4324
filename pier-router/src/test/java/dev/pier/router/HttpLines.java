package dev.pier.router;

import java.io.IOException;
import java.io.InputStream;

/** Reads the CRLF (or LF) terminated lines of HTTP heads off a raw stream, for test peers. */
final class HttpLines {
  private HttpLines() {}

  /** The next line without its line end; what is left at end of stream, or null if nothing. */
  static String read(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
        return sb.toString();
      }
      sb.append((char) c);
    }
    return sb.isEmpty() ? null : sb.toString();
  }
}
