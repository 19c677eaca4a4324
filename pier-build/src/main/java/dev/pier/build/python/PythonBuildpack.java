package dev.pier.build.python;

import dev.pier.build.BuildContext;
import dev.pier.build.BuildFailure;
import dev.pier.build.Buildpack;
import dev.pier.build.lang.FirstMatch;
import dev.pier.build.lang.SourceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds Python apps with the server's Debian {@code /usr/bin/python3}:
 *
 * <ol>
 *   <li>create a virtualenv at {@code /app/.venv} (without pip when nothing is to be installed);
 *   <li>{@code pip install -r requirements.txt} when it lists anything, or {@code pip install .}
 *       for a {@code pyproject.toml}/{@code setup.py} project without one. With a {@code wheels/}
 *       directory pip installs from it only ({@code --no-index --find-links}); otherwise pip tries
 *       the package index and, when it cannot be reached, the failure says so;
 *   <li>instances get {@code /app/.venv/bin} first on {@code PATH}, {@code VIRTUAL_ENV} and
 *       {@code PYTHONUNBUFFERED=1}; the default web process is {@code python app.py} or {@code
 *       python main.py} when the file exists (a Procfile or app.yaml entrypoint wins).
 * </ol>
 */
public final class PythonBuildpack implements Buildpack {
  public static final String NAME = "python";

  static final String PYTHON = "/usr/bin/python3";
  static final String VENV = BuildContext.APP_MOUNT + "/.venv";
  static final String WHEELS = "wheels";
  static final List<String> ENTRY_FILES = List.of("app.py", "main.py");

  private static final Pattern APP_YAML_RUNTIME = Pattern.compile("python[0-9]*");
  private static final Pattern NO_INDEX = Pattern.compile(
      "No matching distribution|Could not find a version|NewConnectionError|Failed to establish"
          + "|Name or service not known|Temporary failure in name resolution");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean detect(Path sourceDir) {
    return SourceFiles.isFile(sourceDir, "requirements.txt")
        || SourceFiles.isFile(sourceDir, "pyproject.toml")
        || SourceFiles.isFile(sourceDir, "setup.py")
        || SourceFiles.appYamlRuntime(sourceDir).map(PythonBuildpack::appYamlSaysPython).orElse(false);
  }

  @Override
  public void compile(BuildContext ctx) throws BuildFailure {
    ctx.out().step("Python");
    List<String> version = new ArrayList<>();
    ctx.run("python3 --version", List.of(PYTHON, "--version"), Map.of(), version::add);
    ctx.out().info("Using " + (version.isEmpty() ? PYTHON : version.getFirst().strip()) + " (" + PYTHON + ")");

    List<String> requirements = SourceFiles.read(ctx.appDir(), "requirements.txt")
        .map(Requirements::entries).orElse(List.of());
    boolean project = requirements.isEmpty()
        && (SourceFiles.isFile(ctx.appDir(), "pyproject.toml") || SourceFiles.isFile(ctx.appDir(), "setup.py"));
    boolean install = !requirements.isEmpty() || project;

    ctx.out().step("Creating a virtualenv in " + VENV);
    List<String> venv = new ArrayList<>(List.of(PYTHON, "-m", "venv"));
    if (!install) venv.add("--without-pip");
    venv.add(VENV);
    FirstMatch venvError = new FirstMatch(l -> l.contains("Error") || l.contains("ensurepip"), ctx.out()::info);
    int code = ctx.run("python3 -m venv", venv, Map.of(), venvError);
    if (code != 0) {
      throw new BuildFailure(venvError.failure("python3 -m venv", code)
          + " (the server needs the Debian package python3-venv)");
    }

    if (install) {
      install(ctx, requirements, project);
    } else {
      ctx.out().info("No requirements to install: the app uses the standard library only");
    }

    ctx.defaultEnv("PATH", VENV + "/bin:/usr/local/bin:/usr/bin:/bin");
    ctx.defaultEnv("VIRTUAL_ENV", VENV);
    ctx.defaultEnv("PYTHONUNBUFFERED", "1");
    for (String file : ENTRY_FILES) {
      if (SourceFiles.isFile(ctx.appDir(), file)) {
        ctx.defaultProcessType("web", "python " + file);
        break;
      }
    }
  }

  private static void install(BuildContext ctx, List<String> requirements, boolean project)
      throws BuildFailure {
    ctx.out().step("Installing " + (project ? "the project (pip install .)"
        : requirements.size() + " requirement" + (requirements.size() == 1 ? "" : "s")));
    List<String> argv = new ArrayList<>(List.of(VENV + "/bin/python", "-m", "pip", "install",
        "--disable-pip-version-check", "--no-input", "--retries", "0", "--timeout", "10",
        "--cache-dir", BuildContext.CACHE_MOUNT + "/pip"));
    boolean wheels = SourceFiles.isDirectory(ctx.appDir(), WHEELS);
    if (wheels) {
      ctx.out().info("Installing from " + WHEELS + "/ only (--no-index --find-links " + WHEELS + ")");
      argv.addAll(List.of("--no-index", "--find-links", BuildContext.APP_MOUNT + "/" + WHEELS));
    }
    if (project) {
      argv.addAll(List.of("--no-build-isolation", "."));
    } else {
      argv.addAll(List.of("-r", "requirements.txt"));
    }
    FirstMatch why = new FirstMatch(l -> l.startsWith("ERROR:"), ctx.out()::info);
    FirstMatch offline = new FirstMatch(l -> NO_INDEX.matcher(l).find(), why);
    String label = project ? "pip install ." : "pip install -r requirements.txt";
    int code = ctx.run(label, argv, Map.of("PIP_CACHE_DIR", BuildContext.CACHE_MOUNT + "/pip"), offline);
    if (code == 0) return;
    String reason = why.failure(label, code).replace("): ERROR: ", "): ");
    if (offline.first() != null) {
      reason += wheels
          ? ". A package is missing from " + WHEELS + "/: add its wheel"
          : ". Pier's build network reaches no Python package index (PyPI): commit the wheels"
              + " into " + WHEELS + "/ (pip download -r requirements.txt -d " + WHEELS + ") and Pier"
              + " installs from them";
    }
    throw new BuildFailure(reason);
  }

  /** True when app.yaml's runtime is {@code python} or {@code pythonNN}. */
  static boolean appYamlSaysPython(String runtime) {
    return runtime != null && APP_YAML_RUNTIME.matcher(runtime).matches();
  }
}
