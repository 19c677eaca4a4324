package dev.pier.build.nodejs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release's Node.js downloaded again after the cache lost it, checked as at build. */
class NodeInstallerRestoreTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  @TempDir Path tmp;
  private FakeNodeRegistry registry;
  private NodeInstaller installer;

  @BeforeEach
  void setUp() throws Exception {
    registry = new FakeNodeRegistry("22.13.1", "20.11.1", "22.13.1");
    installer = NodeInstaller.of(registry.uri(), tmp.resolve("runtimes/node"));
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  private String integrity(String version) throws Exception {
    return new NodeRegistry(registry.uri()).list().releases().stream()
        .filter(r -> r.version().equals(version)).findFirst().orElseThrow().integrity();
  }

  @Test
  void aWipedReleaseIsDownloadedAgainWithTheIntegrityRecordedAtBuild() throws Exception {
    Path home = installer.restore(new NodeRelease("22.13.1", null, integrity("22.13.1")), LIMIT);

    assertThat(home).isEqualTo(tmp.resolve("runtimes/node/22.13.1"));
    assertThat(home.resolve("bin/node")).isExecutable();
    assertThat(installer.restore(NodeRelease.cached("22.13.1"), LIMIT)).isEqualTo(home);
    assertThat(registry.downloads()).isEqualTo(1);
  }

  @Test
  void aPackageWhoseIntegrityIsNotTheRecordedOneIsRefused() throws Exception {
    String other = integrity("20.11.1");

    assertThatThrownBy(() -> installer.restore(new NodeRelease("22.13.1", null, other), LIMIT))
        .isInstanceOf(NodeCache.IntegrityException.class)
        .hasMessageContaining("is not the one this release was built with");
    assertThat(installer.cache().has("22.13.1")).isFalse();
    assertThat(registry.downloads()).isZero();
  }

  @Test
  void aVersionTheRegistryNoLongerServesCannotBeRestored() {
    assertThatThrownBy(() -> installer.restore(NodeRelease.cached("21.0.0"), LIMIT))
        .hasMessage("the registry " + registry.uri() + " no longer serves Node.js 21.0.0");
  }

  @Test
  void theSlugsFileNamesVersionAndIntegrityAndNothingElseIsTakenForIt() {
    assertThat(NodeMount.parse("# x\nversion=22.13.1\nintegrity=sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n".getBytes()))
        .contains(new NodeRelease("22.13.1", null, "sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAA=="));
    assertThat(NodeMount.parse("version=22.13.1\n".getBytes())).contains(NodeRelease.cached("22.13.1"));
    assertThat(NodeMount.parse("version=../../etc\n".getBytes())).isEmpty();
    assertThat(NodeMount.parse("version=22.13.1-rc.1\n".getBytes())).isEmpty();
    assertThat(NodeMount.parse("".getBytes())).isEmpty();
  }
}
