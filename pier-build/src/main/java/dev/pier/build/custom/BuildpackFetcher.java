package dev.pier.build.custom;

import dev.pier.build.BuildFailure;
import dev.pier.sandbox.AppUser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Brings a custom buildpack to the host: {@code git clone --depth 1} with the real git, or an HTTP
 * download of a tarball. Both stop at {@link #MAX_BYTES} and at their timeout. git runs as the
 * app's user when Pier is root (so a {@code file://} URL reaches only what that user may read,
 * never another app's repository, and the app's network confinement applies), with no system or
 * user config, no hooks, no submodules, no prompts, and only the http(s), git and file protocols
 * (no {@code ext::} commands).
 */
final class BuildpackFetcher {
  /** The most a buildpack may take on disk (a clone) or as a download. */
  static final long MAX_BYTES = 100L << 20;
  /** The longest a clone or download may take (less when the build has less left). */
  static final Duration MAX_TIME = Duration.ofMinutes(2);

  private static final String HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private BuildpackFetcher() {}

  /**
   * Clones {@code source} into {@code into} (which must not exist; its parent must be writable by
   * {@code user}, or by Pier when {@code user} is null).
   *
   * @throws BuildFailure {@code "buildpack URL could not be cloned: ..."} with git's own reason,
   *     or when it took too long or grew too big
   */
  static void clone(BuildpackSource.Git source, Path into, Duration timeout, AppUser user)
      throws BuildFailure {
    List<String> argv = new ArrayList<>();
    if (user != null) {
      argv.addAll(List.of("setpriv", "--reuid=" + user.uid(), "--regid=" + user.gid(),
          "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"));
    }
    argv.addAll(List.of("git",
        "-c", "core.hooksPath=/dev/null",
        "-c", "protocol.allow=never",
        "-c", "protocol.https.allow=always", "-c", "protocol.http.allow=always",
        "-c", "protocol.git.allow=always", "-c", "protocol.file.allow=always",
        "-c", "submodule.recurse=false", "-c", "core.fsmonitor=false",
        "-c", "advice.detachedHead=false",
        "clone", "--quiet", "--depth", "1", "--single-branch", "--no-tags"));
    if (source.ref() != null) argv.addAll(List.of("--branch", source.ref()));
    argv.addAll(List.of("--", source.url(), into.toString()));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", HOST_PATH);
    pb.environment().put("HOME", into.getParent().toString());
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    // The only config: a repository on the server is owned by someone else than the app's user,
    // which git refuses unless told to trust it (only a global config can).
    Path config = into.getParent().resolve("gitconfig");
    try {
      Files.writeString(config, "[safe]\n\tdirectory = *\n");
    } catch (IOException e) {
      throw new BuildFailure("Pier could not prepare git for buildpack " + source + ": " + e.getMessage(), e);
    }
    pb.environment().put("GIT_CONFIG_GLOBAL", config.toString());
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("GIT_LFS_SKIP_SMUDGE", "1");
    pb.environment().put("GIT_PROTOCOL_FROM_USER", "0");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    String what = "buildpack " + source + " could not be cloned";
    Process git;
    try {
      git = pb.start();
    } catch (IOException e) {
      throw new BuildFailure(what + ": cannot run git: " + e.getMessage(), e);
    }
    StringBuilder output = new StringBuilder();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (InputStream in = git.getInputStream()) {
        byte[] all = in.readNBytes(64 * 1024);
        synchronized (output) {
          output.append(new String(all, StandardCharsets.UTF_8));
        }
        in.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        // killed
      }
    });
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!git.waitFor(200, TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() > deadline) {
          kill(git);
          throw new BuildFailure(what + ": git clone took longer than " + seconds(timeout));
        }
        if (size(into) > MAX_BYTES) {
          kill(git);
          throw new BuildFailure(what + ": it is larger than " + (MAX_BYTES >> 20) + " MB");
        }
      }
      reader.join(Duration.ofSeconds(5));
      if (git.exitValue() != 0) {
        String said;
        synchronized (output) {
          said = output.toString().strip().replaceAll("[\\p{Cntrl}&&[^\n]]", "").replace('\n', ' ');
        }
        throw new BuildFailure(what + " (git exit code " + git.exitValue() + ")"
            + (said.isEmpty() ? "" : ": " + said));
      }
      if (size(into) > MAX_BYTES) {
        throw new BuildFailure(what + ": it is larger than " + (MAX_BYTES >> 20) + " MB");
      }
    } catch (InterruptedException e) {
      kill(git);
      Thread.currentThread().interrupt();
      throw new BuildFailure("build was cancelled");
    }
  }

  /**
   * Downloads an http(s) tarball to {@code file}.
   *
   * @throws BuildFailure naming the URL and the HTTP status or network problem
   */
  static void download(String url, Path file, Duration timeout) throws BuildFailure {
    String what = "buildpack " + url + " could not be downloaded";
    HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    try {
      HttpResponse<InputStream> response = http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new BuildFailure(what + ": HTTP " + response.statusCode());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (OutputStream out = Files.newOutputStream(file)) {
          byte[] buf = new byte[64 * 1024];
          long total = 0;
          int n;
          while ((n = in.read(buf)) >= 0) {
            total += n;
            if (total > MAX_BYTES) throw new BuildFailure(what + ": it is larger than " + (MAX_BYTES >> 20) + " MB");
            if (System.nanoTime() > deadline) throw new BuildFailure(what + ": it took longer than " + seconds(timeout));
            out.write(buf, 0, n);
          }
        }
      }
    } catch (IOException e) {
      throw new BuildFailure(what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildFailure("build was cancelled");
    } catch (IllegalArgumentException e) {
      throw new BuildFailure(what + ": " + e.getMessage(), e);
    }
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + "s";
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Bytes of the regular files under {@code dir} (0 while it does not exist yet). */
  static long size(Path dir) {
    if (!Files.exists(dir)) return 0;
    long[] total = {0};
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          total[0] += attrs.size();
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // Files come and go while git writes: count what was seen.
    }
    return total[0];
  }
}
