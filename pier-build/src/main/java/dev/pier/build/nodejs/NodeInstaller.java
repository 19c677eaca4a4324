package dev.pier.build.nodejs;

import dev.pier.build.BuildFailure;
import dev.pier.build.BuildOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Finds the Node.js an app asks for ({@link NodeChoice}) among the releases the npm registry
 * serves and makes sure it is in the {@link NodeCache}. When the registry cannot be reached, the
 * newest cached release that fits is used; failing that, the server's own node, said plainly.
 */
public final class NodeInstaller {
  private final NodeRegistry registry;
  private final NodeCache cache;

  public NodeInstaller(NodeRegistry registry, NodeCache cache) {
    this.registry = registry;
    this.cache = cache;
  }

  /** Downloads from {@code registry} into the cache directory {@code cacheDir}. */
  public static NodeInstaller of(java.net.URI registry, Path cacheDir) {
    return new NodeInstaller(new NodeRegistry(registry), new NodeCache(cacheDir));
  }

  /** The variable naming the npm registry Node.js comes from ({@link NodeRegistry#DEFAULT}). */
  public static final String REGISTRY_VARIABLE = "PIER_NODE_REGISTRY";
  /** The variable that, set to 0, makes every Node.js app use the server's own node. */
  public static final String DOWNLOADS_VARIABLE = "PIER_NODE_DOWNLOADS";

  /**
   * The registry the server's settings name: {@code value} (a flag or {@value #REGISTRY_VARIABLE})
   * when set, else {@link NodeRegistry#DEFAULT}; null (no downloads: the server's own node) when
   * {@code downloads} is {@code 0}.
   *
   * @throws IllegalArgumentException when the registry is not an http(s) URL
   */
  public static java.net.URI registry(String value, String downloads) {
    if ("0".equals(downloads)) return null;
    if (value == null || value.isBlank()) return NodeRegistry.DEFAULT;
    java.net.URI uri;
    try {
      uri = new java.net.URI(value.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("the Node.js registry is not a URL: " + value);
    }
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException("the Node.js registry must be an http(s) URL such as "
          + NodeRegistry.DEFAULT + ": " + value);
    }
    return uri;
  }

  /** The cache of {@code dataDir}: {@code DATA/runtimes/node}. */
  public static Path cacheDir(Path dataDir) {
    return dataDir.resolve("runtimes").resolve("node");
  }

  public NodeCache cache() {
    return cache;
  }

  /**
   * What a build uses.
   *
   * @param release the chosen release ({@link NodeRelease#integrity()} null when taken from the
   *     cache while the registry was unreachable)
   * @param home its cached directory ({@code bin/node} inside)
   * @param reason why this one, for the build output
   */
  public record Installed(NodeRelease release, Path home, String reason) {
    /** {@code 22.12.0}. */
    public String version() {
      return release.version();
    }
  }

  /**
   * Downloads {@code wanted} into the cache again (an operator wiped it) with the registry's
   * sha512 check, refusing a package whose integrity is not the one recorded at build ({@code
   * wanted.integrity()}, when known).
   *
   * @throws IOException when the registry cannot be reached, no longer serves that version, or
   *     the download fails or does not match
   */
  public Path restore(NodeRelease wanted, Duration limit) throws IOException {
    if (cache.has(wanted.version())) return cache.home(wanted.version());
    NodeRelease listed = registry.list().releases().stream()
        .filter(r -> r.version().equals(wanted.version())).findFirst()
        .orElseThrow(() -> new IOException("the registry " + registry.base() + " no longer serves Node.js " + wanted.version()));
    if (wanted.integrity() != null && !wanted.integrity().equals(listed.integrity())) {
      throw new NodeCache.IntegrityException("the registry's package of Node.js " + wanted.version()
          + " is not the one this release was built with (integrity " + listed.integrity()
          + ", built with " + wanted.integrity() + "): refused");
    }
    return cache.install(listed, registry, limit);
  }

  /** The registry it downloads from. */
  public java.net.URI registryBase() {
    return registry.base();
  }

  /**
   * Chooses and caches the release for {@code engines} and {@code appYamlRuntime} (either may be
   * null), reporting to {@code out}; empty when the server's own node must do.
   *
   * @throws BuildFailure when engines.node is no range, no release the registry serves fits, or
   *     the download fails (its integrity check above all)
   */
  public Optional<Installed> install(String engines, String appYamlRuntime, BuildOutput out, Duration limit)
      throws BuildFailure {
    NodeRegistry.Listing listing;
    try {
      listing = registry.list();
    } catch (IOException e) {
      return offline(engines, appYamlRuntime, out, e);
    }
    Optional<NodeChoice> choice = NodeChoice.choose(engines, appYamlRuntime, listing.releases(), listing.latest());
    if (choice.isEmpty()) {
      throw new BuildFailure(NodeChoice.unsatisfiable(engines, appYamlRuntime, listing.releases()));
    }
    NodeChoice chosen = choice.get();
    if (chosen.warning() != null) out.warn(chosen.warning());
    String version = chosen.release().version();
    if (!cache.has(version)) {
      out.info("Downloading Node.js " + version + " from " + registry.base() + " (" + NodeRegistry.PACKAGE + ")");
      long started = System.nanoTime();
      try {
        cache.install(chosen.release(), registry, limit);
      } catch (NodeCache.IntegrityException e) {
        throw new BuildFailure("Node.js " + version + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new BuildFailure("Could not download Node.js " + version + " from " + registry.base()
            + ": " + describe(e), e);
      }
      long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
      out.info(String.format(java.util.Locale.ROOT, "Downloaded, verified (sha512) and unpacked in %.1fs", ms / 1000.0));
    } else {
      out.info("Node.js " + version + " is in Pier's cache");
    }
    return Optional.of(new Installed(chosen.release(), cache.home(version), chosen.reason()));
  }

  /** What went wrong, in words: {@code connection refused}, {@code timed out}, the message. */
  public static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) return "connection refused";
    if (e instanceof java.net.http.HttpTimeoutException) return "timed out";
    if (e instanceof java.net.UnknownHostException) return "unknown host " + e.getMessage();
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private Optional<Installed> offline(String engines, String appYamlRuntime, BuildOutput out, IOException why)
      throws BuildFailure {
    out.warn("The npm registry (" + registry.base() + ") could not be reached: " + describe(why));
    List<NodeRelease> cached = cache.releases();
    Optional<NodeChoice> choice = NodeChoice.choose(engines, appYamlRuntime, cached, null);
    if (choice.isPresent()) {
      NodeChoice c = choice.get();
      if (c.warning() != null) out.warn(c.warning());
      String version = c.release().version();
      out.info("Using Node.js " + version + " from Pier's cache of earlier downloads");
      return Optional.of(new Installed(c.release(), cache.home(version), c.reason() + ", from the cache: the registry is unreachable"));
    }
    out.warn("No cached Node.js fits" + (cached.isEmpty() ? " (the cache is empty)" : "")
        + ": building and running with this server's own Node.js instead");
    return Optional.empty();
  }
}
