package dev.pier.build.python;

import dev.pier.build.BuildContext;
import dev.pier.build.BuildFailure;
import dev.pier.build.Buildpack;
import dev.pier.build.lang.FirstMatch;
import dev.pier.build.lang.SourceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds Python apps with the server's Debian {@code /usr/bin/python3}:
 *
 * <ol>
 *   <li>create a virtualenv at {@code /app/.venv}, without pip (packages install with the pip
 *       wheel Debian ships, run by the virtualenv's python: seconds faster than ensurepip);
 *   <li>{@code pip install -r requirements.txt} when it lists anything, else {@code pip install
 *       .} for a {@code pyproject.toml}/{@code setup.py} project that commits a {@code wheels/}
 *       directory (its build backend must be among them). With {@code wheels/} pip installs from
 *       it only ({@code --no-index --find-links}); otherwise pip tries the package index and,
 *       when it cannot be reached, the failure says so;
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

  /** Where Debian's python3-pip-whl (a dependency of python3-venv) keeps the pip wheel. */
  static final Path DEBIAN_WHEELS = Path.of("/usr/share/python-wheels");

  private static final Pattern APP_YAML_RUNTIME = Pattern.compile("python[0-9]*");
  private static final Pattern NO_INDEX = Pattern.compile(
      "No matching distribution|Could not find a version|NewConnectionError|Failed to establish"
          + "|Name or service not known|Temporary failure in name resolution");

  private final Path pipWheels;

  public PythonBuildpack() {
    this(DEBIAN_WHEELS);
  }

  /** A buildpack looking for the pip wheel in {@code pipWheels} (a missing directory: none). */
  PythonBuildpack(Path pipWheels) {
    this.pipWheels = pipWheels;
  }

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
    boolean packaged = requirements.isEmpty()
        && (SourceFiles.isFile(ctx.appDir(), "pyproject.toml") || SourceFiles.isFile(ctx.appDir(), "setup.py"));
    // Building the project needs its build backend (setuptools, wheel, ...), which only a wheels/
    // directory can provide here.
    boolean project = packaged && SourceFiles.isDirectory(ctx.appDir(), WHEELS);
    boolean install = !requirements.isEmpty() || project;
    // Installing pip into the virtualenv (ensurepip) takes seconds: run the pip wheel Debian ships
    // with the virtualenv's python instead, when there is one.
    String pipWheel = debianPipWheel(pipWheels);

    ctx.out().step("Creating a virtualenv in " + VENV);
    List<String> venv = new ArrayList<>(List.of(PYTHON, "-m", "venv"));
    if (!install || pipWheel != null) venv.add("--without-pip");
    venv.add(VENV);
    FirstMatch venvError = new FirstMatch(l -> l.contains("Error") || l.contains("ensurepip"), ctx.out()::info);
    int code = ctx.run("python3 -m venv", venv, Map.of(), venvError);
    if (code != 0) {
      throw new BuildFailure(venvError.failure("python3 -m venv", code)
          + " (the server needs the Debian package python3-venv)");
    }

    if (install) {
      install(ctx, requirements, project, pipWheel);
    } else if (packaged) {
      ctx.out().info("The project itself is not installed: building it needs its build backend,"
          + " which Pier's build network cannot download. Run it from the source, list its"
          + " dependencies in requirements.txt, or commit wheels/ with the backend's wheels too");
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

  /** The newest {@code pip-*.whl} in {@code dir} (Debian's python3-pip-whl), or null. */
  static String debianPipWheel(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("pip-") && n.endsWith(".whl"))
          .max(Comparator.naturalOrder())
          .map(n -> dir.resolve(n).toString())
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static void install(BuildContext ctx, List<String> requirements, boolean project,
      String pipWheel) throws BuildFailure {
    ctx.out().step("Installing " + (project ? "the project (pip install .)"
        : requirements.size() + " requirement" + (requirements.size() == 1 ? "" : "s")));
    List<String> argv = new ArrayList<>(pipWheel == null
        ? List.of(VENV + "/bin/python", "-m", "pip")
        : List.of(VENV + "/bin/python", pipWheel + "/pip"));
    argv.addAll(List.of("install",
        "--disable-pip-version-check", "--no-input", "--retries", "0", "--timeout", "10",
        "--cache-dir", BuildContext.CACHE_MOUNT + "/pip"));
    boolean wheels = SourceFiles.isDirectory(ctx.appDir(), WHEELS);
    if (wheels) {
      ctx.out().info("Installing from " + WHEELS + "/ only (--no-index --find-links " + WHEELS + ")");
      argv.addAll(List.of("--no-index", "--find-links", BuildContext.APP_MOUNT + "/" + WHEELS));
    }
    if (project) {
      argv.add(".");
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
