package dev.pier.datastores.run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Tails of server logs for failure messages. */
public final class Logs {
  private Logs() {}

  /** The last {@code n} non-blank lines of {@code text}, joined with " | ". */
  public static String lastLines(String text, int n) {
    List<String> lines = Arrays.stream(text.replaceAll("\u001B\\[[0-9;]*m", "").split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  /** The last {@code n} lines of the file (its last 8 KiB at most); empty when it is missing. */
  public static String tail(Path file, int n) {
    if (!Files.isRegularFile(file)) return "";
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - 8192);
      byte[] buf = new byte[(int) (len - from)];
      f.seek(from);
      f.readFully(buf);
      return lastLines(new String(buf, StandardCharsets.UTF_8), n);
    } catch (IOException e) {
      return "";
    }
  }
}
