package dev.pier.build.staticsite;

import dev.pier.build.BuildContext;
import dev.pier.build.BuildFailure;
import dev.pier.build.Buildpack;
import dev.pier.build.PackageJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds static sites, which the router then serves from files with no app instance.
 *
 * <p>Detection (first in Pier's order, because it only claims apps no other buildpack would run):
 * a {@code static.json} at the root; or an {@code index.html} at the root or in {@code public/}
 * with no sign of a server: no Procfile, app.yaml, {@code server.js}, no other language's marker
 * ({@link #SERVER_MARKERS}) and no {@code start} script in package.json.
 *
 * <p>Compile: with a {@code build} script in package.json, installs dependencies (devDependencies
 * included; {@code npm ci} with a lockfile, else {@code npm install}) and runs {@code npm run
 * build}, sandboxed like every build step. The served root is static.json's {@code root}, else the
 * first of {@code dist/}, {@code build/}, {@code public/} holding an index.html, else the app
 * itself. Text files are precompressed ({@link Precompressor}), and the slug keeps only the root's
 * files ({@link StaticSlug}). The web "process" it declares is {@link #SERVED_BY_ROUTER}, which
 * the process type resolution turns into a release with no process types.
 */
public final class StaticSiteBuildpack implements Buildpack {
  public static final String NAME = "static";
  /**
   * The default web command this buildpack declares: not a command, a marker that the router
   * serves the release. Process type resolution drops it; the release has no process types.
   */
  public static final String SERVED_BY_ROUTER = "(static site: served by the router)";
  /** Files that show an app runs a server of its own, so an index.html is not a static site. */
  static final List<String> SERVER_MARKERS = List.of(
      "Procfile", "app.yaml", "server.js", "pom.xml", "build.gradle", "build.gradle.kts",
      "requirements.txt", "pyproject.toml", "setup.py", "Pipfile", "go.mod", "Gemfile",
      "composer.json", "Cargo.toml");
  private static final List<String> ROOT_CANDIDATES = List.of("dist", "build", "public");
  private static final List<String> NPM_FLAGS = List.of("--no-audit", "--no-fund", "--no-update-notifier");

  @Override
  public String name() {
    return NAME;
  }

  /** No app.yaml runtime: App Engine has none for static sites (they use handlers). */
  @Override
  public java.util.List<String> runtimes() {
    return java.util.List.of();
  }

  @Override
  public boolean detect(Path dir) {
    if (isFile(dir.resolve(StaticJson.FILE_NAME))) return true;
    if (!isFile(dir.resolve("index.html")) && !isFile(dir.resolve("public/index.html"))) return false;
    for (String marker : SERVER_MARKERS) {
      if (Files.exists(dir.resolve(marker), LinkOption.NOFOLLOW_LINKS)) return false;
    }
    Path pkg = dir.resolve(PackageJson.FILE_NAME);
    if (!isFile(pkg)) return true;
    try {
      return !PackageJson.parse(Files.readString(pkg)).hasScript("start");
    } catch (IOException | BuildFailure | RuntimeException e) {
      return false; // let the Node.js buildpack report the broken package.json
    }
  }

  @Override
  public void compile(BuildContext ctx) throws BuildFailure {
    StaticJson.Parsed config = null;
    if (ctx.hasFile(StaticJson.FILE_NAME)) {
      ctx.out().info("Reading static.json");
      config = StaticJson.parse(ctx.readFile(StaticJson.FILE_NAME));
      if (!config.unknownKeys().isEmpty()) {
        ctx.out().warn("static.json keys ignored by Pier: " + String.join(", ", config.unknownKeys())
            + " (honoured: root, clean_urls, routes, headers, redirects, https_only, error_page)");
      }
    }
    if (ctx.hasFile(PackageJson.FILE_NAME)) {
      PackageJson pkg = PackageJson.parse(ctx.readFile(PackageJson.FILE_NAME));
      if (pkg.hasScript("build")) runBuild(ctx, pkg);
    }
    String root = config != null && config.root() != null ? config.root() : defaultRoot(ctx.appDir());
    Path rootDir = ctx.appDir().resolve(root).normalize();
    if (!insideWithoutLinks(ctx.appDir(), rootDir)) {
      throw new BuildFailure("static.json root \"" + root + "\" is not a directory of the app"
          + (config != null && config.root() != null ? "" : " after the build"));
    }
    var site = config == null ? dev.pier.model.StaticSite.plain(Path.of(".")) : config.site();
    if (site.errorPage() != null && !Files.isRegularFile(rootDir.resolve(site.errorPage()))) {
      ctx.out().warn("static.json error_page \"" + site.errorPage() + "\" is not a file under the root;"
          + " a plain 404 page is sent instead");
    }
    ctx.out().step("Static site: serving " + (root.equals(".") ? "the app's root" : root + "/")
        + " from the router, with no app instance");
    try {
      int gz = Precompressor.gzipAll(rootDir);
      ctx.out().info("Precompressed " + gz + " text file" + (gz == 1 ? "" : "s") + " with gzip");
      StaticSlug.arrange(ctx.appDir(), root, site);
    } catch (IOException e) {
      throw new BuildFailure("could not prepare the static site: " + e.getMessage(), e);
    }
    ctx.defaultProcessType("web", SERVED_BY_ROUTER);
  }

  private static void runBuild(BuildContext ctx, PackageJson pkg) throws BuildFailure {
    ctx.out().step("Running the site's build script");
    Map<String, String> env = Map.of(
        "NODE_ENV", "development",
        "npm_config_cache", BuildContext.CACHE_MOUNT + "/npm",
        "npm_config_update_notifier", "false");
    if (!pkg.hasNoDependencies()) {
      boolean locked = ctx.hasFile("package-lock.json") || ctx.hasFile("npm-shrinkwrap.json");
      String label = locked ? "npm ci" : "npm install";
      ctx.out().info("Running '" + label + "' (with devDependencies)");
      ctx.runOrFail(label, npm(locked ? "ci" : "install", "--include=dev"), env);
    }
    ctx.out().info("Running 'npm run build'");
    Map<String, String> buildEnv = new java.util.HashMap<>(env);
    buildEnv.put("NODE_ENV", ctx.configVars().getOrDefault("NODE_ENV", "production"));
    ctx.runOrFail("npm run build", npm("run", "build"), buildEnv);
  }

  /** dist/, build/ or public/ (the first with an index.html), else the app itself. */
  /**
   * True when {@code dir} is a directory under {@code appDir} reached through no symbolic link:
   * the steps after this run as Pier (precompressing, moving the root into the slug), so a link
   * the app made (in its source or its build script) must not lead them out of the app.
   */
  static boolean insideWithoutLinks(Path appDir, Path dir) {
    Path base = appDir.normalize();
    if (!dir.startsWith(base) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return false;
    for (Path p = dir; p != null && !p.equals(base); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) return false;
    }
    try {
      return dir.toRealPath().startsWith(base.toRealPath());
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static String defaultRoot(Path appDir) {
    for (String candidate : ROOT_CANDIDATES) {
      if (isFile(appDir.resolve(candidate).resolve("index.html"))) return candidate;
    }
    return ".";
  }

  private static List<String> npm(String... args) {
    List<String> argv = new ArrayList<>(List.of("npm"));
    argv.addAll(List.of(args));
    argv.addAll(NPM_FLAGS);
    return argv;
  }

  private static boolean isFile(Path path) {
    return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
  }
}
