package dev.pier.runtimes;

import dev.pier.build.nodejs.NodeMount;
import dev.pier.build.nodejs.NodeRelease;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Node.js a slug's processes run, as its {@value NodeMount#FILE} says; read once per slug
 * (slugs never change; config changes and rollbacks share their slug), then kept.
 *
 * <p>Thread-safe.
 */
final class SlugNodeVersion {
  private static final Logger LOG = LoggerFactory.getLogger(SlugNodeVersion.class);
  private static final int MAX_SLUGS = 1024;
  private final Map<Path, Optional<NodeRelease>> known = new ConcurrentHashMap<>();

  /** The Node.js of the slug at {@code slug}; empty when it names none (the host's node). */
  Optional<NodeRelease> of(Path slug) {
    if (slug == null) return Optional.empty();
    Optional<NodeRelease> hit = known.get(slug);
    if (hit != null) return hit;
    if (!Files.isRegularFile(slug)) return Optional.empty();
    Optional<NodeRelease> read = read(slug);
    if (known.size() >= MAX_SLUGS) known.clear();
    known.put(slug, read);
    return read;
  }

  private static Optional<NodeRelease> read(Path slug) {
    try (InputStream in = Files.newInputStream(slug);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        if (!name.equals(NodeMount.FILE) || !e.isFile() || e.isSymbolicLink() || e.getSize() > NodeMount.maxFileBytes()) continue;
        return NodeMount.parse(tar.readAllBytes());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read {} of the slug {}: {}", NodeMount.FILE, slug, e.toString());
    }
    return Optional.empty();
  }
}
