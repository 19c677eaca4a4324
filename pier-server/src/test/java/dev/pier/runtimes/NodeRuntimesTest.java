package dev.pier.runtimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.runtime.RuntimeMount;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cached Node.js a slug names, mounted into its instances; what happens when it is wiped. */
class NodeRuntimesTest {
  @TempDir Path tmp;

  private Path slug(String name, String pierNode) throws IOException {
    Path slug = tmp.resolve(name + ".tar.gz");
    try (OutputStream out = Files.newOutputStream(slug);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      for (String[] file : pierNode == null
          ? new String[][] {{"./server.js", "x"}}
          : new String[][] {{"./server.js", "x"}, {"./.pier-node", pierNode}}) {
        byte[] bytes = file[1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(file[0]);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
    return slug;
  }

  @Test
  void aSlugNamingANodeJsGetsItsCacheEntryMountedReadOnlyOutsideApp() throws IOException {
    NodeRuntimes runtimes = NodeRuntimes.of(tmp.resolve("data"), null);

    List<RuntimeMount> mounts = runtimes.mounts(slug("a", "version=22.13.1\n"));

    assertThat(mounts).singleElement().satisfies(m -> {
      assertThat(m.source()).isEqualTo(tmp.resolve("data/runtimes/node/22.13.1"));
      assertThat(m.target()).isEqualTo("/opt/pier/node");
    });
    assertThat(runtimes.mounts(slug("b", null))).isEmpty();
    assertThat(runtimes.mounts(slug("c", "version=../x\n"))).isEmpty();
    assertThat(NodeRuntimes.NONE.mounts(slug("d", "version=22.13.1\n"))).isEmpty();
  }

  @Test
  void aWipedEntryWithTheRegistryUnreachableFailsTheStartSayingSo() throws IOException {
    URI closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
    RuntimeMount mount = NodeRuntimes.of(tmp.resolve("data"), closed).mounts(slug("a", "version=22.23.5\n")).getFirst();

    assertThatThrownBy(() -> mount.restore().restore())
        .hasMessage("Node.js 22.23.5 is missing from DATA/runtimes/node and the registry could not be reached"
            + " (connection refused)");
  }

  @Test
  void aWipedEntryWithDownloadsOffFailsTheStartSayingSo() throws IOException {
    RuntimeMount mount = NodeRuntimes.of(tmp.resolve("data"), null).mounts(slug("a", "version=22.23.5\n")).getFirst();

    assertThatThrownBy(() -> mount.restore().restore())
        .hasMessage("Node.js 22.23.5 is missing from DATA/runtimes/node and downloads are off (PIER_NODE_DOWNLOADS=0)");
  }
}
