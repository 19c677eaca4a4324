package dev.pier.runtime.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds slug tarballs for tests. */
final class Slug {
  /** A node web server that tells about itself and can crash, write files and allocate memory. */
  static final String SERVER_JS =
      """
      const http = require('http');
      const fs = require('fs');
      const server = http.createServer((req, res) => {
        const u = new URL(req.url, 'http://localhost');
        if (u.pathname === '/crash') {
          res.end('bye');
          setTimeout(() => process.exit(3), 10);
          return;
        }
        if (u.pathname === '/write') {
          try {
            fs.writeFileSync(u.searchParams.get('path'), 'x');
            res.end('written');
          } catch (e) {
            res.end('error ' + e.code);
          }
          return;
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({dyno: process.env.DYNO, port: process.env.PORT,
            uid: process.getuid(), gid: process.getgid(), env: process.env}));
      });
      server.listen(process.env.PORT, '127.0.0.1',
          () => console.log('listening on ' + process.env.PORT));
      """;

  /** A worker that allocates (and touches) 16 MB every 20 ms until it is killed. */
  static final String HOG_JS =
      """
      const hoard = [];
      console.log('allocating');
      setInterval(() => hoard.push(Buffer.alloc(16 * 1024 * 1024, 1)), 20);
      """;

  private record Item(String name, String content, int mode, String linkTarget, byte type) {}

  private final List<Item> items = new ArrayList<>();

  static Slug create() {
    return new Slug();
  }

  static Slug nodeServer() {
    return create().file("server.js", SERVER_JS).file("hog.js", HOG_JS);
  }

  Slug file(String name, String content) {
    return file(name, content, 0644);
  }

  Slug file(String name, String content, int mode) {
    items.add(new Item(name, content, mode, null, TarConstants.LF_NORMAL));
    return this;
  }

  Slug dir(String name) {
    items.add(new Item(name.endsWith("/") ? name : name + "/", null, 0755, null, TarConstants.LF_DIR));
    return this;
  }

  Slug symlink(String name, String target) {
    items.add(new Item(name, null, 0777, target, TarConstants.LF_SYMLINK));
    return this;
  }

  Slug hardlink(String name, String target) {
    items.add(new Item(name, null, 0644, target, TarConstants.LF_LINK));
    return this;
  }

  Path writeTo(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Item item : items) {
        TarArchiveEntry entry = new TarArchiveEntry(item.name(), item.type(), true);
        entry.setMode(item.mode());
        if (item.linkTarget() != null) entry.setLinkName(item.linkTarget());
        byte[] data =
            item.content() == null ? new byte[0] : item.content().getBytes(StandardCharsets.UTF_8);
        if (item.type() == TarConstants.LF_NORMAL) entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        if (data.length > 0) tar.write(data);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }
}
