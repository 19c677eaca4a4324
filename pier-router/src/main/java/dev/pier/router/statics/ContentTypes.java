package dev.pier.router.statics;

import java.util.Locale;
import java.util.Map;

/** The Content-Type of a file by its extension, and whether it is text worth compressing. */
public final class ContentTypes {
  private static final String DEFAULT = "application/octet-stream";
  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("htm", "text/html; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("map", "application/json"),
      Map.entry("webmanifest", "application/manifest+json"),
      Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("md", "text/markdown; charset=utf-8"),
      Map.entry("csv", "text/csv; charset=utf-8"),
      Map.entry("xml", "application/xml"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"),
      Map.entry("webp", "image/webp"),
      Map.entry("avif", "image/avif"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("woff", "font/woff"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("ttf", "font/ttf"),
      Map.entry("otf", "font/otf"),
      Map.entry("wasm", "application/wasm"),
      Map.entry("pdf", "application/pdf"),
      Map.entry("mp4", "video/mp4"),
      Map.entry("webm", "video/webm"),
      Map.entry("mp3", "audio/mpeg"),
      Map.entry("ogg", "audio/ogg"),
      Map.entry("wav", "audio/wav"),
      Map.entry("zip", "application/zip"),
      Map.entry("gz", "application/gzip"));

  private ContentTypes() {}

  /** The type for {@code fileName}, {@code application/octet-stream} when unknown. */
  public static String of(String fileName) {
    return BY_EXTENSION.getOrDefault(extension(fileName), DEFAULT);
  }

  /** True for text formats that shrink when compressed (the build precompresses these). */
  public static boolean compressible(String fileName) {
    String type = of(fileName);
    return type.startsWith("text/") || type.startsWith("application/json")
        || type.startsWith("application/manifest") || type.equals("application/xml")
        || type.equals("image/svg+xml") || type.equals("application/wasm");
  }

  private static String extension(String fileName) {
    int slash = fileName.lastIndexOf('/');
    int dot = fileName.lastIndexOf('.');
    return dot <= slash ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
