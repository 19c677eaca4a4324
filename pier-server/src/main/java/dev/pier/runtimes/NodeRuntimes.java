package dev.pier.runtimes;

import dev.pier.build.nodejs.NodeCache;
import dev.pier.build.nodejs.NodeInstaller;
import dev.pier.build.nodejs.NodeMount;
import dev.pier.build.nodejs.NodeRelease;
import dev.pier.runtime.RuntimeMount;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cached Node.js each instance of a release gets: {@code DATA/runtimes/node/V}, bound
 * read-only at {@value NodeMount#HOME}. When an operator wiped that entry, the instance's start
 * downloads it again from the registry with the same sha512 check (and the integrity recorded at
 * build); when that fails the start fails with the reason, rather than running another Node.js.
 */
public final class NodeRuntimes {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntimes.class);
  /** The longest a download at instance start may take. */
  static final Duration RESTORE_LIMIT = Duration.ofMinutes(5);
  /** Releases with no Node.js of their own (tests, servers without a data directory). */
  public static final NodeRuntimes NONE = new NodeRuntimes(null, null);

  private final NodeCache cache;
  private final NodeInstaller installer;
  private final SlugNodeVersion slugs = new SlugNodeVersion();

  private NodeRuntimes(NodeCache cache, NodeInstaller installer) {
    this.cache = cache;
    this.installer = installer;
  }

  /**
   * The Node.js cache of {@code dataDir}, downloading missing entries again from {@code registry}
   * (null: downloads are off, a missing entry fails the start).
   */
  public static NodeRuntimes of(Path dataDir, URI registry) {
    Path dir = NodeInstaller.cacheDir(dataDir);
    return new NodeRuntimes(new NodeCache(dir), registry == null ? null : NodeInstaller.of(registry, dir));
  }

  /** The read-only mounts the instances of the slug at {@code slug} get; empty for most. */
  public List<RuntimeMount> mounts(Path slug) {
    if (cache == null) return List.of();
    Optional<NodeRelease> node = slugs.of(slug);
    if (node.isEmpty()) return List.of();
    NodeRelease release = node.get();
    return List.of(new RuntimeMount(cache.home(release.version()), NodeMount.HOME, () -> restore(release)));
  }

  private void restore(NodeRelease release) throws IOException {
    String missing = "Node.js " + release.version() + " is missing from DATA/runtimes/node";
    if (installer == null) {
      throw new IOException(missing + " and downloads are off (" + NodeInstaller.DOWNLOADS_VARIABLE + "=0)");
    }
    LOG.warn("{}: downloading it again from {}", missing, installer.registryBase());
    try {
      installer.restore(release, RESTORE_LIMIT);
    } catch (NodeCache.IntegrityException e) {
      throw new IOException(missing + " and the registry's copy was refused: " + e.getMessage(), e);
    } catch (java.net.ConnectException | java.net.http.HttpTimeoutException | java.net.UnknownHostException e) {
      throw new IOException(missing + " and the registry could not be reached ("
          + NodeInstaller.describe(e) + ")", e);
    } catch (IOException e) {
      throw new IOException(missing + " and could not be downloaded again: " + NodeInstaller.describe(e), e);
    }
    LOG.info("Node.js {} is back in {}", release.version(), cache.dir());
  }
}
