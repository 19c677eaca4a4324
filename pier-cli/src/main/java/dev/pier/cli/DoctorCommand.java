package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pier doctor} (operators): what the server's consistency check of the state store, the git
 * repositories and the files on disk repaired at its last start and finds now. Exits 1 while a
 * problem needs attention.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Check that the platform's database, git repositories and files agree.",
        "Shows what the server repaired at its last start (after a crash) and what needs attention now;"
            + " exits 1 while something does."})
final class DoctorCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  DoctorCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    JsonNode report = context.api().get("/doctor");
    PrintStream out = context.out();
    boolean ok = report.path("ok").asBoolean(false);
    if (json) {
      out.println(Json.pretty(report));
      return ok ? 0 : 1;
    }
    out.println(Format.header("Repaired at the last start"));
    print(out, report.path("at_start"), "Nothing: the last stop left everything consistent.");
    out.println();
    out.println(Format.header("Now"));
    print(out, report.path("now"), "Everything agrees: database, git repositories and files.");
    if (!ok) context.err().println(" !     Some problems need attention (see above).");
    return ok ? 0 : 1;
  }

  private static void print(PrintStream out, JsonNode findings, String none) {
    if (!findings.isArray() || findings.isEmpty()) {
      out.println(none);
      return;
    }
    for (JsonNode f : findings) {
      String app = f.path("app").isNull() ? "platform" : f.path("app").asText();
      out.println(String.format("%-9s %s: %s", f.path("kind").asText(), app, f.path("message").asText()));
    }
  }
}
