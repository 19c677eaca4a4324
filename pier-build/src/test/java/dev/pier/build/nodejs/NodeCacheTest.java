package dev.pier.build.nodejs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class NodeCacheTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  @TempDir Path tmp;
  private FakeNodeRegistry fake;
  private NodeRegistry registry;
  private NodeCache cache;

  @BeforeEach
  void setUp() throws Exception {
    fake = new FakeNodeRegistry("22.12.0", "20.11.1", "22.12.0");
    registry = new NodeRegistry(fake.uri());
    cache = new NodeCache(tmp.resolve("runtimes/node"));
  }

  @AfterEach
  void tearDown() {
    fake.close();
  }

  private NodeRelease listed(String version) throws Exception {
    return registry.list().releases().stream().filter(r -> r.version().equals(version)).findFirst().orElseThrow();
  }

  @Test
  void theRegistryListsItsVersionsWithTarballAndIntegrity() throws Exception {
    NodeRegistry.Listing listing = registry.list();

    assertThat(listing.latest()).isEqualTo("22.12.0");
    assertThat(listing.releases()).extracting(NodeRelease::version).containsExactlyInAnyOrder("20.11.1", "22.12.0");
    assertThat(listing.releases()).allSatisfy(r -> assertThat(r.integrity()).startsWith("sha512-"));
  }

  @Test
  void aReleaseIsDownloadedOnceAndUnpackedWithItsExecutableNode() throws Exception {
    Path home = cache.install(listed("22.12.0"), registry, LIMIT);
    cache.install(listed("22.12.0"), registry, LIMIT);

    assertThat(home).isEqualTo(tmp.resolve("runtimes/node/22.12.0"));
    assertThat(Files.isExecutable(home.resolve("bin/node"))).isTrue();
    assertThat(home.resolve("include/node/node.h")).exists();
    assertThat(fake.downloads()).isEqualTo(1);
    assertThat(cache.releases()).extracting(NodeRelease::version).containsExactly("22.12.0");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aDownloadWhoseSha512DoesNotMatchIsRefusedAndNothingIsCached() throws Exception {
    fake.corrupt("22.12.0");

    assertThatThrownBy(() -> cache.install(listed("22.12.0"), registry, LIMIT))
        .isInstanceOf(NodeCache.IntegrityException.class)
        .hasMessageContaining("does not match the registry's sha512");
    assertThat(cache.has("22.12.0")).isFalse();
    assertThat(cache.releases()).isEmpty();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void entriesLeavingThePackageAreRefusedAndNothingIsCached() throws Exception {
    TarArchiveEntry escape = new TarArchiveEntry("package/../../escaped");
    fake.withEntries("22.12.0", List.of(escape));

    assertThatThrownBy(() -> cache.install(listed("22.12.0"), registry, LIMIT))
        .hasMessageContaining("refusing tar entry package/../../escaped");
    assertThat(cache.has("22.12.0")).isFalse();
    assertThat(tmp.resolve("runtimes/escaped")).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void symbolicLinksInThePackageAreNotUnpacked() throws Exception {
    TarArchiveEntry link = new TarArchiveEntry("package/bin/etc", TarArchiveEntry.LF_SYMLINK);
    link.setLinkName("/etc");
    fake.withEntries("22.12.0", List.of(link));

    Path home = cache.install(listed("22.12.0"), registry, LIMIT);

    assertThat(home.resolve("bin/etc")).doesNotExist();
    assertThat(Files.isSymbolicLink(home.resolve("bin/etc"))).isFalse();
  }

  @Test
  void twoBuildsInstallingTheSameReleaseAtOnceDownloadItOnceAndBothGetIt() throws Exception {
    NodeRelease release = listed("20.11.1");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<Path> install = () -> cache.install(release, registry, LIMIT);
      List<Future<Path>> both = pool.invokeAll(List.of(install, install));
      for (Future<Path> f : both) assertThat(f.get()).isEqualTo(cache.home("20.11.1"));
    } finally {
      pool.shutdownNow();
    }
    assertThat(Files.readString(cache.home("20.11.1").resolve("bin/node"))).contains("echo v20.11.1;");
    assertThat(fake.downloads()).as("the second waited for the first's download").isEqualTo(1);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void twoCachesOnOneDirectoryInstallingAtOnceBothEndWithOneGoodCopy() throws Exception {
    NodeCache other = new NodeCache(tmp.resolve("runtimes/node")); // as another server would
    NodeRelease release = listed("20.11.1");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Path>> both = pool.invokeAll(List.of(
          () -> cache.install(release, registry, LIMIT), () -> other.install(release, registry, LIMIT)));
      for (Future<Path> f : both) assertThat(f.get()).isEqualTo(cache.home("20.11.1"));
    } finally {
      pool.shutdownNow();
    }
    assertThat(Files.isExecutable(cache.home("20.11.1").resolve("bin/node"))).isTrue();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void leftoversOfADownloadCutOffLongAgoAreSweptAndARecentOneIsKept() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("runtimes/node"));
    Path old = Files.createDirectories(dir.resolve(".tmp-20.11.1-old/bin"));
    Files.setLastModifiedTime(old.getParent(), java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - NodeCache.STALE.toMillis() - 60_000));
    Path recent = Files.writeString(dir.resolve(".tmp-22.12.0-recent.tgz"), "under way");

    cache.install(listed("22.12.0"), registry, LIMIT);

    assertThat(old.getParent()).doesNotExist();
    assertThat(recent).exists();
  }

  private List<Path> leftovers() throws Exception {
    Path dir = tmp.resolve("runtimes/node");
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
    }
  }
}
