package dev.pier.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** The {@code pier} executable: runs one command against the Pier REST API. */
public final class PierCli {
  private PierCli() {}

  public static void main(String[] args) {
    System.exit(
        run(args, System.out, System.err, System.getenv(), Path.of("").toAbsolutePath(), System.in));
  }

  /**
   * Runs one command; returns the exit code. Uses env for HOME, PIER_API_URL, PIER_API_TOKEN; cwd
   * for git remote lookup and deploy. Never calls System.exit.
   *
   * <p>Exit codes: 0 success, 1 a failure reported as {@code " !     message"} on {@code err}
   * (API error, unknown command, invalid argument checked by pier), 2 a usage error found by the
   * option parser. Safe to call concurrently from several threads: no state is shared between
   * runs.
   */
  public static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      Path cwd,
      InputStream in) {
    try (CliContext context = new CliContext(out, err, env, cwd, in)) {
      CommandLine cli = RootCommand.commandLine(context);
      try {
        return cli.execute(args);
      } finally {
        cli.getOut().flush();
        cli.getErr().flush();
      }
    } finally {
      out.flush();
      err.flush();
    }
  }
}
