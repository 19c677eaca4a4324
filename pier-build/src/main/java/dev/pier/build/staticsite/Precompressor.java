package dev.pier.build.staticsite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a gzip copy ({@code NAME.gz}, best compression) beside each text file of a site, so the
 * router sends it to clients that accept gzip without compressing per request (nginx's
 * {@code gzip_static}). Kept only when smaller than the file. Brotli: no pure-Java encoder is kept
 * on Maven Central (brotli4j ships native code), so Pier makes none; {@code .br} files the site's
 * own build wrote are served as they are.
 */
final class Precompressor {
  /** Files smaller than this gain too little. */
  static final long MIN_BYTES = 256;
  private static final Set<String> TEXT = Set.of(
      "html", "htm", "css", "js", "mjs", "json", "map", "webmanifest", "txt", "md", "csv", "xml",
      "svg", "wasm");

  private Precompressor() {}

  /** Precompresses every text file under {@code root} (symlinks not followed); returns the count. */
  static int gzipAll(Path root) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .filter(Precompressor::isText).toList();
    }
    int count = 0;
    for (Path file : files) {
      Path gz = file.resolveSibling(file.getFileName() + ".gz");
      if (Files.size(file) < MIN_BYTES || Files.exists(gz, LinkOption.NOFOLLOW_LINKS)) continue;
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 65536) {
            {
              def.setLevel(Deflater.BEST_COMPRESSION);
            }
          }) {
        in.transferTo(out);
      }
      if (Files.size(gz) >= Files.size(file)) {
        Files.delete(gz);
      } else {
        Files.setLastModifiedTime(gz, Files.getLastModifiedTime(file));
        count++;
      }
    }
    return count;
  }

  private static boolean isText(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && TEXT.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
