package dev.pier.build.nodejs;

import dev.pier.build.BuildContext;
import dev.pier.build.BuildFailure;
import dev.pier.build.Buildpack;
import dev.pier.build.PackageJson;
import dev.pier.build.lang.SourceFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds Node.js apps the way Heroku's Node.js buildpack does:
 *
 * <ol>
 *   <li>choose the Node.js ({@link NodeChoice}: {@code engines.node}, app.yaml {@code runtime:
 *       nodejsNN}, else the current LTS), download it once into Pier's shared cache ({@link
 *       NodeInstaller}) and bind it read-only at {@value NodeMount#HOME} into the build steps and,
 *       through {@value NodeMount#FILE} in the slug, into every process of the release, first on
 *       their PATH (the slug does not carry it). Without an installer, or when the
 *       registry is unreachable and nothing cached fits, the server's own node is used and
 *       {@code engines.node} only checked against it (a mismatch warns). npm is the server's,
 *       run by the chosen node;
 *   <li>install dependencies including devDependencies ({@code npm ci} when a lockfile exists,
 *       else {@code npm install}), skipped when package.json declares none;
 *   <li>run {@code npm run build} if there is a build script;
 *   <li>prune devDependencies ({@code npm prune --omit=dev}).
 * </ol>
 *
 * <p>The npm cache lives in the app's build cache, so later builds download less. The default web
 * process is {@code npm start} when package.json has a start script or a {@code server.js} exists
 * (npm's own default start command is {@code node server.js}). {@value #BIN_DIR} is put on the
 * PATH of the later build steps and of the app's instances.
 */
public final class NodejsBuildpack implements Buildpack {
  public static final String NAME = "nodejs";

  static final List<String> NPM_FLAGS = List.of("--no-audit", "--no-fund", "--no-update-notifier");
  /** The longest a Node.js download may take (less when the build has less time left). */
  static final Duration DOWNLOAD_LIMIT = Duration.ofMinutes(5);

  private final NodeInstaller installer;

  /** The buildpack that builds with the server's own node and npm, downloading nothing. */
  public NodejsBuildpack() {
    this(null);
  }

  /**
   * The buildpack that builds and runs each app with the Node.js it asks for, downloaded with
   * {@code installer} (null: the server's own node only).
   */
  public NodejsBuildpack(NodeInstaller installer) {
    this.installer = installer;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Where npm puts the commands of installed packages; on the PATH of later steps and instances. */
  public static final String BIN_DIR = "/app/node_modules/.bin";

  private static final Pattern RUNTIME_MAJOR = Pattern.compile("nodejs([0-9]{1,3})");

  @Override
  public List<String> runtimes() {
    return List.of("nodejs");
  }

  @Override
  public boolean detect(Path sourceDir) {
    return Files.exists(sourceDir.resolve(PackageJson.FILE_NAME), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void compile(BuildContext ctx) throws BuildFailure {
    PackageJson pkg = PackageJson.parse(ctx.readFile(PackageJson.FILE_NAME));
    // Package commands (vite, next, tsc) for build scripts and Procfile commands alike.
    ctx.prependPath(BIN_DIR);
    ctx.prependRuntimePath(BIN_DIR);
    NodeInstaller.Installed node = chooseNode(ctx, pkg.enginesNode());
    boolean downloaded = node != null;
    boolean installed = install(ctx, pkg, downloaded);
    if (pkg.hasScript("build")) {
      ctx.out().step("Build");
      ctx.out().info("Running 'npm run build'");
      ctx.runOrFail("npm run build", npm("run", "build"), env(runtimeNodeEnv(ctx), downloaded));
    }
    if (installed && pkg.devDependencyCount() > 0) {
      ctx.out().step("Pruning devDependencies");
      ctx.runOrFail("npm prune", npm("prune", "--omit=dev"), env(runtimeNodeEnv(ctx), downloaded));
    }
    if (downloaded) NodeMount.record(ctx, node.release());
    if (pkg.hasScript("start") || Files.isRegularFile(ctx.appDir().resolve("server.js"))) {
      ctx.defaultProcessType("web", "npm start");
    }
    // As on Heroku: Node.js processes run in production mode unless a config var says otherwise
    // (express hides stack traces from visitors in production).
    ctx.defaultEnv("NODE_ENV", "production");
  }

  /**
   * Downloads (or takes from the cache) the Node.js the app asks for and binds it into the later
   * build steps, first on PATH; null when the server's own node builds and runs the app instead.
   */
  private NodeInstaller.Installed chooseNode(BuildContext ctx, String engines) throws BuildFailure {
    ctx.out().step("Installing Node.js");
    ctx.out().info("engines.node (package.json): " + (engines == null ? "unspecified" : engines));
    Optional<String> runtime = SourceFiles.appYamlRuntime(ctx.appDir());
    runtime.filter(r -> NodeChoice.runtimeMajor(r) != null)
        .ifPresent(r -> ctx.out().info("runtime (app.yaml): " + r));
    if (installer == null) {
      checkNodeVersion(ctx, engines, runtime);
      return null;
    }
    Duration limit = ctx.timeLeft().compareTo(DOWNLOAD_LIMIT) < 0 ? ctx.timeLeft() : DOWNLOAD_LIMIT;
    Optional<NodeInstaller.Installed> node = installer.install(engines, runtime.orElse(null), ctx.out(), limit);
    if (node.isEmpty()) {
      checkNodeVersion(ctx, engines, runtime);
      return null;
    }
    NodeInstaller.Installed n = node.get();
    ctx.mountForSteps(NodeMount.of(n.home()));
    ctx.prependPath(NodeMount.BIN);
    ctx.prependRuntimePath(NodeMount.BIN);
    ctx.out().step("Using Node.js " + n.version() + " (" + n.reason() + ")");
    ctx.runtime("Node.js " + n.version());
    return n;
  }

  private void checkNodeVersion(BuildContext ctx, String engines, Optional<String> runtime) throws BuildFailure {
    List<String> output = new ArrayList<>();
    int code = ctx.run("node --version", List.of("node", "--version"), Map.of(), output::add);
    String version = output.isEmpty() ? "" : output.getFirst().strip();
    if (code != 0 || NodeVersionRange.parseVersion(version).isEmpty()) {
      ctx.out().warn("Could not determine the installed Node.js version (node --version exited "
          + code + ")");
      return;
    }
    ctx.out().step("Using Node.js " + version.replaceFirst("^v", "") + " (the one installed on this Pier)");
    ctx.runtime("Node.js " + version.replaceFirst("^v", "") + " (this server's)");
    runtime.flatMap(r -> runtimeMismatch(r, version)).ifPresent(ctx.out()::warn);
    if (engines == null) return;
    var range = NodeVersionRange.parse(engines);
    if (range.isEmpty()) {
      ctx.out().warn("engines.node '" + engines + "' is not a version range Pier understands;"
          + " building with Node.js " + version + " anyway");
    } else if (!range.get().allows(version)) {
      ctx.out().warn("engines.node '" + engines + "' does not allow the installed Node.js "
          + version + "; building with it anyway");
    }
  }

  /**
   * The warning for app.yaml {@code runtime: nodejsNN} when NN is not the major of {@code
   * installed} (such as {@code v20.11.1}); empty for {@code nodejs}, other runtimes and a match.
   * Pier builds and runs with the installed Node.js whatever the runtime asks.
   */
  static Optional<String> runtimeMismatch(String runtime, String installed) {
    Matcher m = RUNTIME_MAJOR.matcher(runtime);
    Optional<int[]> version = NodeVersionRange.parseVersion(installed);
    if (!m.matches() || version.isEmpty()) return Optional.empty();
    int asked = Integer.parseInt(m.group(1));
    if (asked == version.get()[0]) return Optional.empty();
    return Optional.of("app.yaml runtime '" + runtime + "' asks for Node.js " + asked
        + ", but this Pier has only Node.js " + installed + "; building and running with it");
  }

  /** Installs dependencies with devDependencies included; returns false when there were none. */
  private boolean install(BuildContext ctx, PackageJson pkg, boolean downloaded) throws BuildFailure {
    ctx.out().step("Installing dependencies");
    if (pkg.hasNoDependencies()) {
      ctx.out().info("No dependencies in package.json; skipping npm install");
      return false;
    }
    boolean locked = ctx.hasFile("package-lock.json") || ctx.hasFile("npm-shrinkwrap.json");
    String label = locked ? "npm ci" : "npm install";
    if (Files.isDirectory(ctx.cacheDir().resolve("npm"))) {
      ctx.out().info("Using the npm cache from earlier builds");
    }
    ctx.out().info("Running '" + label + "' (with devDependencies)");
    ctx.runOrFail(label, npm(locked ? "ci" : "install", "--include=dev"), env("development", downloaded));
    return true;
  }

  private static List<String> npm(String... args) {
    List<String> argv = new ArrayList<>(List.of("npm"));
    argv.addAll(List.of(args));
    argv.addAll(NPM_FLAGS);
    return argv;
  }

  private static Map<String, String> env(String nodeEnv, boolean downloaded) {
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "NODE_ENV", nodeEnv,
        "npm_config_cache", BuildContext.CACHE_MOUNT + "/npm",
        "npm_config_update_notifier", "false"));
    // node-gyp builds native addons against the mounted headers (it could not download them).
    if (downloaded) env.put("npm_config_nodedir", NodeMount.HOME);
    return env;
  }

  /** The app's own NODE_ENV config var, else production, as on Heroku. */
  private static String runtimeNodeEnv(BuildContext ctx) {
    return ctx.configVars().getOrDefault("NODE_ENV", "production");
  }
}
