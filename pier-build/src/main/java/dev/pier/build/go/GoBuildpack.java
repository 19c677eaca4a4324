package dev.pier.build.go;

import dev.pier.build.BuildContext;
import dev.pier.build.BuildFailure;
import dev.pier.build.Buildpack;
import dev.pier.build.lang.FirstMatch;
import dev.pier.build.lang.SourceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds Go modules with the server's {@code go} (Debian's golang-go):
 *
 * <ol>
 *   <li>{@code go build -o /app/bin/NAME .} (NAME from the module path) when the module root is
 *       a package, else {@code go install ./...} into {@code /app/bin}; with {@code -mod=vendor}
 *       when a {@code vendor/} directory exists;
 *   <li>offline: {@code GOPROXY=off} and {@code GOTOOLCHAIN=local}, since Pier's build network
 *       reaches no Go module proxy; {@code GOCACHE} and {@code GOPATH} live in the build cache,
 *       so a later build compiles only what changed. cgo stays at Go's default: with {@code
 *       CGO_ENABLED=0} Go 1.19 recompiles net and everything above it (30 s instead of 3 s for
 *       a net/http app), as the installed standard library was built with cgo;
 *   <li>the default web process is {@code bin/NAME} (a Procfile or app.yaml entrypoint wins).
 * </ol>
 */
public final class GoBuildpack implements Buildpack {
  public static final String NAME = "go";

  private static final Pattern COMPILER_LINE = Pattern.compile("^\\S+\\.go:\\d+(:\\d+)?: ");
  private static final Pattern MODULE_MISSING = Pattern.compile(
      "missing go.sum entry|cannot find module|module lookup disabled|no required module provides");
  private static final Pattern GO_ERROR = Pattern.compile("^(go: |go build|can't load package|package )");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean detect(Path sourceDir) {
    return SourceFiles.isFile(sourceDir, "go.mod");
  }

  @Override
  public void compile(BuildContext ctx) throws BuildFailure {
    GoMod mod = GoMod.parse(ctx.readFile("go.mod"));
    ctx.out().step("Go module " + mod.module());
    List<String> version = new ArrayList<>();
    ctx.run("go version", List.of("go", "version"), env(ctx, false), version::add);
    ctx.out().info("Using " + (version.isEmpty() ? "the server's go" : version.getFirst().strip())
        + (mod.goVersion() == null ? "" : " (go.mod says go " + mod.goVersion() + ")"));

    boolean vendored = SourceFiles.isDirectory(ctx.appDir(), "vendor");
    ctx.out().info(vendored
        ? "Building with the vendored modules (-mod=vendor)"
        : "No vendor/ directory: dependencies outside the standard library must be vendored"
            + " (go mod vendor), Pier's build network reaches no Go module proxy");
    if (Files.isDirectory(ctx.cacheDir().resolve("go-build"))) {
      ctx.out().info("Using the Go build cache from earlier builds");
    }

    ctx.out().step("Building");
    String binary = BuildContext.APP_MOUNT + "/bin/" + mod.binaryName();
    boolean rootPackage = hasGoFiles(ctx.appDir());
    List<String> argv = rootPackage
        ? List.of("go", "build", "-o", binary, ".")
        : List.of("go", "install", "./...");
    ctx.out().info("Running '" + String.join(" ", argv) + "'");
    FirstMatch goError = new FirstMatch(l -> GO_ERROR.matcher(l).find(), ctx.out()::info);
    FirstMatch compilerLine = new FirstMatch(l -> COMPILER_LINE.matcher(l).find(), goError);
    String label = "go " + argv.get(1);
    int code = ctx.run(label, argv, env(ctx, vendored), compilerLine);
    if (code != 0) {
      FirstMatch why = compilerLine.first() != null ? compilerLine : goError;
      String reason = why.failure(label, code);
      if (!vendored && why.first() != null && MODULE_MISSING.matcher(why.first()).find()) {
        reason += ". Pier's build network reaches no Go module proxy: vendor the dependencies"
            + " (go mod vendor) and commit vendor/";
      }
      throw new BuildFailure(reason);
    }

    String web = rootPackage ? "bin/" + mod.binaryName() : onlyBinary(ctx.appDir().resolve("bin"));
    if (web != null) {
      ctx.defaultProcessType("web", web);
    } else {
      ctx.out().info("Several binaries in bin/: declare which one serves in a Procfile ('web: bin/NAME')");
    }
  }

  private static Map<String, String> env(BuildContext ctx, boolean vendored) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GOCACHE", BuildContext.CACHE_MOUNT + "/go-build");
    env.put("GOPATH", BuildContext.CACHE_MOUNT + "/go");
    env.put("GOBIN", BuildContext.APP_MOUNT + "/bin");
    env.put("GOPROXY", "off");
    env.put("GOSUMDB", "off");
    env.put("GOTOOLCHAIN", "local");
    env.put("GOTELEMETRY", "off");
    String flags = ctx.configVars().getOrDefault("GOFLAGS", "");
    if (vendored && !flags.contains("-mod=")) flags = (flags + " -mod=vendor").strip();
    if (!flags.isEmpty()) env.put("GOFLAGS", flags);
    return env;
  }

  private static boolean hasGoFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".go")
          && !f.getFileName().toString().endsWith("_test.go") && Files.isRegularFile(f));
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code bin/NAME} when {@code bin} holds exactly one file, else null. */
  private static String onlyBinary(Path bin) {
    try (Stream<Path> files = Files.list(bin)) {
      List<Path> all = files.toList();
      return all.size() == 1 ? "bin/" + all.getFirst().getFileName() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
