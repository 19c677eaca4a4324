package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom buildpack written in shell to Heroku's buildpack API, served from a local git
 * repository (file:// URL) and from a tarball, built by a real `git push` and answering through
 * the router; the app's buildpack commands, builds and build cache; and the ways a buildpack goes
 * wrong.
 */
class CustomBuildpackTest {
  /** bin/detect, bin/compile and bin/release as Heroku documents them; nothing Pier-specific. */
  static Map<String, String> helloBuildpack() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("bin/detect", """
        #!/bin/sh
        # bin/detect BUILD_DIR
        if [ -f "$1/hello.txt" ]; then
          echo "Hello"
          exit 0
        fi
        exit 1
        """);
    files.put("bin/compile", """
        #!/bin/sh
        # bin/compile BUILD_DIR CACHE_DIR ENV_DIR
        set -e
        BUILD_DIR=$1
        CACHE_DIR=$2
        ENV_DIR=$3
        echo "-----> Installing Hello"
        if [ -f "$CACHE_DIR/hello-runtime" ]; then
          echo "       Using cached Hello runtime"
        else
          echo "       Downloading Hello runtime (cold cache)"
          echo "runtime" > "$CACHE_DIR/hello-runtime"
        fi
        [ -f "$BUILD_DIR/fail.txt" ] && { echo " !     Hello cannot build this"; exit 3; }
        [ -f "$BUILD_DIR/hang.txt" ] && sleep 3600
        GREETING="Hello"
        [ -f "$ENV_DIR/GREETING" ] && GREETING=$(cat "$ENV_DIR/GREETING")
        cat > "$BUILD_DIR/start.sh" <<EOS
        #!/bin/sh
        exec node -e "require('http').createServer((q, s) => s.end('$GREETING from ' + require('fs').readFileSync('hello.txt', 'utf8').trim())).listen(process.env.PORT)"
        EOS
        chmod +x "$BUILD_DIR/start.sh"
        echo "       Wrote start.sh"
        """);
    files.put("bin/release", """
        #!/bin/sh
        # bin/release BUILD_DIR
        cat <<EOF
        ---
        config_vars:
          HELLO_HOME: /app
        default_process_types:
          web: ./start.sh
        EOF
        """);
    return files;
  }

  @TempDir Path tmp;
  @TempDir Path bps;

  /** The buildpack as a bare git repository (file:// URL) and as a .tgz, readable by app users. */
  private Map<String, String> publish(PlatformHarness pier) throws Exception {
    Files.setPosixFilePermissions(bps, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path work = bps.resolve("hello-buildpack");
    PlatformHarness.write(work, helloBuildpack());
    for (String script : helloBuildpack().keySet()) {
      Files.setPosixFilePermissions(work.resolve(script), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    PlatformHarness.check(pier.git(work, "init", "-q", "-b", "main"));
    pier.commitAll(work, "Hello buildpack");
    PlatformHarness.check(pier.git(bps, "clone", "-q", "--bare", work.toString(), "hello.git"));
    Process tar = new ProcessBuilder("tar", "-czf", bps.resolve("hello.tgz").toString(), "-C", work.toString(), "bin")
        .redirectErrorStream(true).start();
    assertThat(tar.waitFor()).isZero();
    return Map.of("git", "file://" + bps.resolve("hello.git"), "tgz", bps.resolve("hello.tgz").toString());
  }

  @Test
  void aShellBuildpackFromGitAndFromATarballBuildsAnAppThatAnswersThroughTheRouter() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Map<String, String> bp = publish(pier);
      Path repo = pier.repo("hello-bp", Map.of("hello.txt", "the shell buildpack\n"));
      PlatformHarness.check(pier.cli(repo, "apps:create", "hello-bp"));
      Result none = PlatformHarness.check(pier.cli(repo, "buildpacks"));
      assertThat(none.out()).contains("hello-bp has no buildpacks set: each build detects one (static -> nodejs -> java -> python -> go -> procfile)");

      Result set = PlatformHarness.check(pier.cli(repo, "buildpacks:set", bp.get("git") + "#main"));
      assertThat(set.out()).contains("Next release on hello-bp will use " + bp.get("git") + "#main");
      PlatformHarness.check(pier.cli(repo, "config:set", "GREETING=Bonjour"));

      // first push: cold cache, the buildpack's output as the build's, web from bin/release
      Result push = pier.git(repo, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(push.err()).contains("remote: -----> Installing Hello",
          "remote:        Downloading Hello runtime (cold cache)", "remote:        Hello app detected",
          "Default types for buildpack -> web", "Released v1");
      assertThat(pier.awaitOk("hello-bp", "/", Duration.ofSeconds(20)).body())
          .isEqualTo("Bonjour from the shell buildpack");

      // second push: the buildpack's cache is kept for the app
      Files.writeString(repo.resolve("hello.txt"), "a warm cache\n");
      pier.commitAll(repo, "second");
      Result again = PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
      assertThat(again.err()).contains("remote:        Using cached Hello runtime").doesNotContain("cold cache");
      assertThat(pier.awaitBody("hello-bp", "Bonjour from a warm cache", Duration.ofSeconds(20))).isTrue();

      // releases:info and builds show what built it
      Result info = PlatformHarness.check(pier.cli(repo, "releases:info", "v2"));
      assertThat(info.out()).contains("Buildpack:", bp.get("git") + "#main").containsPattern("Language: +Hello");
      Result builds = PlatformHarness.check(pier.cli(repo, "builds"));
      assertThat(builds.out()).contains("=== hello-bp Builds", "succeeded", "v2", "(Hello)");
      Result build = PlatformHarness.check(pier.cli(repo, "builds:info", "--tail", "40"));
      assertThat(build.out()).contains("Status:", "succeeded", "Using cached Hello runtime");

      // purging the build cache makes the next build cold; the tarball gives the same buildpack
      Result purge = PlatformHarness.check(pier.cli(repo, "builds:cache:purge"));
      assertThat(purge.out()).contains("Build cache of hello-bp purged");
      PlatformHarness.check(pier.cli(repo, "buildpacks:set", bp.get("tgz")));
      Files.writeString(repo.resolve("hello.txt"), "a tarball\n");
      pier.commitAll(repo, "third");
      Result third = PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
      assertThat(third.err()).contains("Downloading Hello runtime (cold cache)", "Released v3");
      assertThat(pier.awaitBody("hello-bp", "Bonjour from a tarball", Duration.ofSeconds(20))).isTrue();

      // the list commands, and bad names refused before anything is stored
      PlatformHarness.check(pier.cli(repo, "buildpacks:add", "--index", "1", "heroku/nodejs"));
      assertThat(PlatformHarness.check(pier.cli(repo, "buildpacks")).out())
          .contains("1. nodejs", "2. " + bp.get("tgz"));
      Result unknown = pier.cli(repo, "buildpacks:add", "ruby");
      assertThat(unknown.exit()).isNotZero();
      assertThat(unknown.err()).contains("unknown buildpack 'ruby'");
      Result ssh = pier.cli(repo, "buildpacks:set", "ssh://git@example.com/bp.git");
      assertThat(ssh.exit()).isNotZero();
      assertThat(ssh.err()).contains("scheme 'ssh:' is not supported");
      PlatformHarness.check(pier.cli(repo, "buildpacks:remove", "nodejs"));
      assertThat(PlatformHarness.check(pier.cli(repo, "buildpacks")).out()).contains(bp.get("tgz")).doesNotContain("nodejs\n");
      PlatformHarness.check(pier.cli(repo, "buildpacks:clear"));
      assertThat(PlatformHarness.check(pier.cli(repo, "buildpacks")).out()).contains("has no buildpacks set");
      System.out.println(PlatformHarness.check(pier.cli(repo, "builds")).out()); // build times, for the record
    }
  }

  @Test
  void buildpacksThatCannotBeClonedDetectNothingFailOrHangFailThePushSayingWhy() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Map<String, String> bp = publish(pier);
      Path repo = pier.repo("bad-bp", Map.of("README.md", "no hello.txt here\n"));
      PlatformHarness.check(pier.cli(repo, "apps:create", "bad-bp"));

      PlatformHarness.check(pier.cli(repo, "buildpacks:set", "file://" + bps.resolve("missing.git")));
      Result unclonable = pier.git(repo, "push", "pier", "main");
      assertThat(unclonable.exit()).isNotZero();
      assertThat(unclonable.err()).contains("could not be cloned (git exit code 128)");

      PlatformHarness.check(pier.cli(repo, "buildpacks:set", bp.get("git")));
      Result nothing = pier.git(repo, "push", "pier", "main");
      assertThat(nothing.exit()).isNotZero();
      assertThat(nothing.err()).contains("bin/detect of buildpack " + bp.get("git") + " matched nothing (exit code 1)");

      Files.writeString(repo.resolve("hello.txt"), "hi\n");
      Files.writeString(repo.resolve("fail.txt"), "please\n");
      pier.commitAll(repo, "fail");
      Result failed = pier.git(repo, "push", "pier", "main");
      assertThat(failed.exit()).isNotZero();
      assertThat(failed.err()).contains("remote:  !     Hello cannot build this",
          "bin/compile of buildpack " + bp.get("git") + " failed (exit code 3)");

      Files.delete(repo.resolve("fail.txt"));
      Files.writeString(repo.resolve("hang.txt"), "forever\n");
      pier.commitAll(repo, "hang");
      PlatformHarness.check(pier.cli(repo, "config:set", "PIER_BUILD_TIMEOUT=4s"));
      long start = System.nanoTime();
      Result hung = pier.git(repo, "push", "pier", "main");
      assertThat(hung.exit()).isNotZero();
      assertThat(hung.err()).contains("build timed out after 4s");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));

      Result builds = PlatformHarness.check(pier.cli(repo, "builds"));
      assertThat(builds.out().lines().filter(l -> l.contains("failed")).count()).isEqualTo(4);
      assertThat(pier.cli(repo, "releases").out()).contains("No releases yet");
    }
  }
}
