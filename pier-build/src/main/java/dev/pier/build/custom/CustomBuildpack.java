package dev.pier.build.custom;

import dev.pier.build.BuildContext;
import dev.pier.build.BuildFailure;
import dev.pier.build.Buildpack;
import dev.pier.sandbox.Mount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A buildpack written to Heroku's buildpack API, run in the build sandbox as the app's user:
 *
 * <ul>
 *   <li>{@code bin/detect BUILD_DIR}: exit 0 means it builds the app; the first line it prints
 *       names the language;
 *   <li>{@code bin/compile BUILD_DIR CACHE_DIR ENV_DIR}: builds {@code /app} in place; its output
 *       is the build's output; {@code ENV_DIR} holds a file per config var;
 *   <li>{@code bin/release BUILD_DIR} (optional): prints YAML whose {@code default_process_types}
 *       and {@code config_vars} become the app's default process types and environment.
 * </ul>
 *
 * <p>Inside the sandbox the buildpack is {@value #BUILDPACK_MOUNT} (this build's own copy,
 * writable), {@code BUILD_DIR}
 * is {@code /app}, {@code CACHE_DIR} is {@code /cache/buildpacks/KEY} (kept per app and per
 * buildpack source), {@code ENV_DIR} is {@value #ENV_MOUNT} (read-only). Pier fetches git and
 * HTTP sources ({@link BuildpackFetcher}; git as the app's user, HTTP with curl in the sandbox)
 * into a directory beside the build's source, deleted after the build; tarballs are unpacked and
 * server directories copied in the sandbox, read as the app's user: the app gets only what that
 * user may read. Explicitly set, it still detects, and a buildpack that
 * detects nothing fails the build. As with Heroku's multi-buildpack, an {@code export} file a
 * bin/compile leaves in its buildpack directory is sourced before the later buildpacks' bin/compile.
 */
public final class CustomBuildpack implements Buildpack {
  public static final String BUILDPACK_MOUNT = "/buildpack";
  public static final String ENV_MOUNT = "/env";
  /** Earlier buildpacks' {@code export} files, sourced before bin/compile. */
  public static final String EXPORTS_MOUNT = "/buildpack-exports";
  static final String STACK = "pier-24";
  /** The sandbox sees the host's /usr. */
  private static final String CURL = "/usr/bin/curl";

  private final BuildpackSource source;
  private final Path work;
  private Path code;

  /**
   * @param source where it comes from (not a built-in)
   * @param work a directory of Pier's, not existing yet, for this build's copy of it
   */
  public CustomBuildpack(BuildpackSource source, Path work) {
    if (source instanceof BuildpackSource.BuiltIn) throw new IllegalArgumentException("built-in: " + source);
    this.source = source;
    this.work = work;
  }

  @Override
  public String name() {
    return source.toString();
  }

  /** Chosen by the app, never by app.yaml's runtime. */
  @Override
  public List<String> runtimes() {
    return List.of();
  }

  /** Never picked by detection order: only when an app sets it. */
  @Override
  public boolean detect(Path sourceDir) {
    return false;
  }

  @Override
  public String detect(BuildContext ctx) throws BuildFailure {
    fetch(ctx);
    List<String> lines = new ArrayList<>();
    int code = ctx.run("bin/detect", List.of(BUILDPACK_MOUNT + "/bin/detect", BuildContext.APP_MOUNT),
        env(), mounts(), lines::add);
    if (code != 0) {
      lines.forEach(ctx.out()::info);
      throw new BuildFailure("bin/detect of buildpack " + name() + " matched nothing (exit code "
          + code + "): this buildpack cannot build the app");
    }
    // A name for display: printable, at most 100 characters (bin/detect may print anything).
    String language = lines.isEmpty() ? "" : lines.getFirst().replaceAll("[\\p{Cntrl}]", "").strip();
    if (language.length() > 100) language = language.substring(0, 100);
    return language.isEmpty() ? name() : language;
  }

  @Override
  public void compile(BuildContext ctx) throws BuildFailure {
    if (code == null) fetch(ctx);
    String cacheDir = BuildContext.CACHE_MOUNT + "/buildpacks/" + key(source);
    boolean warm = Files.isDirectory(ctx.cacheDir().resolve("buildpacks").resolve(key(source)));
    ctx.out().info((warm ? "Using the buildpack's cache from earlier builds" : "No buildpack cache yet"));
    writeEnvDir(ctx);
    // Multi-buildpack: what earlier buildpacks exported (their bin/compile wrote BP_DIR/export)
    // is sourced first, as Heroku does.
    int exit = ctx.run("bin/compile",
        List.of("/bin/sh", "-c",
            "for f in " + EXPORTS_MOUNT + "/*; do [ -f \"$f\" ] && . \"$f\"; done;"
                + " mkdir -p \"$2\" && exec \"$0\" \"$1\" \"$2\" \"$3\"",
            BUILDPACK_MOUNT + "/bin/compile", BuildContext.APP_MOUNT, cacheDir, ENV_MOUNT),
        env(), mounts(), line -> relay(ctx, line));
    if (exit != 0) {
      throw new BuildFailure("bin/compile of buildpack " + name() + " failed (exit code " + exit + ")");
    }
    keepExport();
    release(ctx);
  }

  private void release(BuildContext ctx) throws BuildFailure {
    if (!Files.exists(code.resolve("bin/release"), LinkOption.NOFOLLOW_LINKS)
        && !Files.isSymbolicLink(code.resolve("bin/release"))) {
      ctx.out().info("No bin/release: no default process types from this buildpack");
      return;
    }
    // bin/release prints YAML on stdout; stdout and stderr reach Pier merged, so its stdout is
    // marked line by line and its stderr shown as build output.
    StringBuilder yaml = new StringBuilder();
    int exit = ctx.run("bin/release",
        List.of("/bin/sh", "-c",
            "out=$(\"$0\" \"$1\") || exit $?; printf '%s\\n' \"$out\" | sed 's/^/" + MARK + "/'",
            BUILDPACK_MOUNT + "/bin/release", BuildContext.APP_MOUNT),
        env(), mounts(), line -> {
          if (line.startsWith(MARK)) yaml.append(line.substring(MARK.length())).append('\n');
          else relay(ctx, line);
        });
    if (exit != 0) {
      throw new BuildFailure("bin/release of buildpack " + name() + " failed (exit code " + exit + ")");
    }
    ReleaseYaml release = ReleaseYaml.parse(yaml.toString(), "bin/release of buildpack " + name());
    release.defaultProcessTypes().forEach((type, command) -> {
      if (command.isBlank()) ctx.out().warn("bin/release: process type " + type + " has no command; ignored");
      else ctx.defaultProcessType(type, command);
    });
    release.configVars().forEach(ctx::defaultEnv);
    if (!release.defaultProcessTypes().isEmpty()) {
      ctx.out().info("Default process types for this buildpack: "
          + String.join(", ", release.defaultProcessTypes().keySet()));
    }
  }

  private static final String MARK = "PIER-RELEASE:";

  /**
   * Passes a line of a buildpack's output on as it was meant: buildpacks print Heroku's
   * {@code "-----> "} steps, {@code " !     "} warnings and indented details themselves.
   */
  static void relay(BuildContext ctx, String line) {
    if (line.startsWith("-----> ")) ctx.out().step(line.substring(7));
    else if (line.startsWith(" !     ")) ctx.out().warn(line.substring(7));
    else if (line.startsWith("       ")) ctx.out().info(line.substring(7));
    else ctx.out().info(line);
  }

  /** Brings the buildpack where the sandbox can see it; checks it has bin/detect and bin/compile. */
  private void fetch(BuildContext ctx) throws BuildFailure {
    if (code != null) return;
    ctx.out().info("Fetching buildpack " + name());
    Duration timeout = ctx.timeLeft().compareTo(BuildpackFetcher.MAX_TIME) < 0 ? ctx.timeLeft() : BuildpackFetcher.MAX_TIME;
    if (timeout.isNegative() || timeout.isZero()) throw ctx.timedOutFailure();
    try {
      Files.createDirectories(work.getParent());
      Files.setPosixFilePermissions(work.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
      Files.createDirectory(work);
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
    } catch (IOException e) {
      throw new BuildFailure("Pier could not make a directory for buildpack " + name() + ": " + e.getMessage(), e);
    }
    switch (source) {
      case BuildpackSource.Directory dir -> code = copy(ctx, dir.path());
      case BuildpackSource.Git git -> {
        code = work.resolve("code");
        ctx.handToApp(work); // git runs as the app's user, writing here
        BuildpackFetcher.clone(git, code, timeout, ctx.user());
        ctx.handToApp(work);
      }
      case BuildpackSource.Tarball tarball -> code = unpack(ctx, tarball, timeout);
      case BuildpackSource.BuiltIn builtIn -> throw new IllegalStateException("built-in " + builtIn);
    }
    for (String script : List.of("bin/detect", "bin/compile")) {
      Path p = code.resolve(script);
      if (!Files.exists(p) && !Files.isSymbolicLink(p)) {
        throw new BuildFailure("buildpack " + name() + " has no " + script
            + " (a buildpack needs bin/detect, bin/compile and optionally bin/release)");
      }
    }
  }

  /**
   * One message whether the path is missing or only unreadable by the app's user, so that naming
   * server paths tells a user nothing about files they may not read.
   */
  private static BuildFailure unreadable(String kind, Path path) {
    return new BuildFailure("buildpack " + kind + " " + path + " does not exist on the Pier server or"
        + " cannot be read by the app's user");
  }

  /** Copies a server directory, read as the app's user in the sandbox, into this build's own copy. */
  private Path copy(BuildContext ctx, Path dir) throws BuildFailure {
    if (!Files.isDirectory(dir)) {
      throw unreadable("directory", dir);
    }
    Path into = work.resolve("code");
    try {
      Files.createDirectory(into);
    } catch (IOException e) {
      throw new BuildFailure("Pier could not copy buildpack " + name() + ": " + e.getMessage(), e);
    }
    ctx.handToApp(work);
    List<String> output = new ArrayList<>();
    int exit = ctx.run("copying the buildpack", List.of("cp", "-R", "--", "/buildpack-source/.", BUILDPACK_MOUNT),
        Map.of(), List.of(Mount.readOnly(dir, "/buildpack-source"), Mount.writable(into, BUILDPACK_MOUNT)),
        output::add);
    if (exit != 0) {
      throw unreadable("directory", dir);
    }
    return into;
  }

  /** Downloads (http) or binds (a file) the tarball and unpacks it in the sandbox, as the app's user. */
  private Path unpack(BuildContext ctx, BuildpackSource.Tarball tarball, Duration timeout)
      throws BuildFailure {
    Path file = tarball.file();
    Path into = work.resolve("code");
    try {
      Files.createDirectory(into);
    } catch (IOException e) {
      throw new BuildFailure("Pier could not unpack buildpack " + name() + ": " + e.getMessage(), e);
    }
    if (file == null) {
      file = download(ctx, tarball.location(), timeout);
    } else if (!Files.isRegularFile(file)) {
      throw unreadable("tarball", file);
    }
    ctx.handToApp(work);
    List<String> output = new ArrayList<>();
    int exit = ctx.run("unpacking the buildpack",
        List.of("tar", "-xzf", "/buildpack.tgz", "-C", BUILDPACK_MOUNT, "--no-same-owner"),
        Map.of(), List.of(Mount.readOnly(file, "/buildpack.tgz"), Mount.writable(into, BUILDPACK_MOUNT)),
        output::add);
    if (exit != 0) {
      output.forEach(ctx.out()::info);
      throw new BuildFailure("buildpack tarball " + name() + " could not be unpacked (tar exit code " + exit
          + "): it must be a gzipped tar");
    }
    // GitHub-style archives hold one top directory: the buildpack is inside it.
    if (!Files.isDirectory(into.resolve("bin"), LinkOption.NOFOLLOW_LINKS)) {
      try (var entries = Files.list(into)) {
        List<Path> all = entries.toList();
        if (all.size() == 1 && Files.isDirectory(all.getFirst(), LinkOption.NOFOLLOW_LINKS)) return all.getFirst();
      } catch (IOException e) {
        throw new BuildFailure("Pier could not read buildpack " + name() + ": " + e.getMessage(), e);
      }
    }
    return into;
  }

  /**
   * Downloads an http(s) tarball: with curl in the sandbox as the app's user when the host has
   * curl (so the app's network confinement applies), else by Pier.
   */
  private Path download(BuildContext ctx, String url, Duration timeout) throws BuildFailure {
    Path file = work.resolve("buildpack.tgz");
    if (!Files.isExecutable(Path.of(CURL))) {
      BuildpackFetcher.download(url, file, timeout);
      return file;
    }
    Path into = work.resolve("download");
    try {
      Files.createDirectory(into);
    } catch (IOException e) {
      throw new BuildFailure("Pier could not download buildpack " + name() + ": " + e.getMessage(), e);
    }
    ctx.handToApp(into);
    List<String> output = new ArrayList<>();
    int exit = ctx.run("downloading the buildpack",
        List.of(CURL, "--silent", "--show-error", "--fail", "--location", "--proto", "=http,https",
            "--proto-redir", "=http,https", "--max-filesize", Long.toString(BuildpackFetcher.MAX_BYTES),
            "--max-time", Long.toString(Math.max(1, timeout.toSeconds())), "--output",
            "/download/buildpack.tgz", "--", url),
        Map.of(), List.of(Mount.writable(into, "/download")), output::add);
    if (exit != 0) {
      String said = String.join(" ", output).strip();
      throw new BuildFailure("buildpack " + url + " could not be downloaded (curl exit code " + exit + ")"
          + (said.isEmpty() ? "" : ": " + said));
    }
    return into.resolve("buildpack.tgz");
  }

  /** Writes ENV_DIR: one file per config var, named after it, holding its value. */
  private void writeEnvDir(BuildContext ctx) throws BuildFailure {
    Path env = work.resolve("env");
    try {
      Files.createDirectory(env, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      for (Map.Entry<String, String> var : ctx.configVars().entrySet()) {
        if (!var.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) continue;
        Path file = env.resolve(var.getKey());
        Files.writeString(file, var.getValue(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException e) {
      throw new BuildFailure("Pier could not write ENV_DIR for buildpack " + name() + ": " + e.getMessage(), e);
    }
    ctx.handToApp(env);
  }

  /**
   * Keeps the {@code export} file bin/compile wrote in its buildpack directory (a regular file
   * of at most 64 KiB), for the buildpacks after it.
   */
  private void keepExport() throws BuildFailure {
    Path export = code.resolve("export");
    try {
      if (!Files.isRegularFile(export, LinkOption.NOFOLLOW_LINKS) || Files.size(export) > 64 * 1024) return;
      Path exports = work.getParent().resolve("exports");
      Files.createDirectories(exports);
      Files.setPosixFilePermissions(exports, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path kept = exports.resolve(work.getFileName() + ".sh");
      Files.copy(export, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
      Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new BuildFailure("Pier could not keep the export of buildpack " + name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The buildpack at {@value #BUILDPACK_MOUNT} (this build's own copy, writable: buildpacks write
   * {@code export} there), ENV_DIR, earlier buildpacks' exports.
   */
  private List<Mount> mounts() {
    List<Mount> mounts = new ArrayList<>(List.of(Mount.writable(code, BUILDPACK_MOUNT)));
    Path env = work.resolve("env");
    if (Files.isDirectory(env)) mounts.add(Mount.readOnly(env, ENV_MOUNT));
    Path exports = work.getParent().resolve("exports");
    if (Files.isDirectory(exports)) mounts.add(Mount.readOnly(exports, EXPORTS_MOUNT));
    return mounts;
  }

  private static Map<String, String> env() {
    return Map.of("STACK", STACK);
  }

  /** The buildpack's cache directory name: readable, and unique per source. */
  static String key(BuildpackSource source) {
    String text = source.toString();
    String readable = text.replaceFirst("^[a-z]+://", "").replaceAll("[^A-Za-z0-9._-]+", "-");
    if (readable.length() > 40) readable = readable.substring(readable.length() - 40);
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return readable.replaceAll("^[-.]+", "") + "-" + HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
