package dev.pier.cli;

import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pier logs}: prints an app's recent log lines, oldest first, each as soon as it arrives;
 * with {@code --tail} it keeps printing new lines until interrupted. {@code --source} and {@code
 * --dyno} narrow the stream as on Heroku.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Show an app's logs: its processes, the router, builds and platform events.")
final class LogsCommand extends AppCommand {
  @Option(names = {"-n", "--num"}, paramLabel = "N", defaultValue = "100",
      description = "Number of recent lines to show (default: ${DEFAULT-VALUE}; 0 with --tail: only new lines).")
  int lines;

  @Option(names = {"-t", "--tail"}, description = "Keep streaming new lines as they come.")
  boolean tail;

  @Option(names = {"-s", "--source"}, paramLabel = "SOURCE",
      description = "Only lines from app (your processes), router or platform.")
  String source;

  @Option(names = {"-d", "--dyno", "--instance", "--ps"}, paramLabel = "INSTANCE",
      description = "Only lines of one instance (web.1) or of every instance of a process type (web).")
  String dyno;

  @Option(names = "--json", description = "Print one JSON object per line (NDJSON), as the API sends it.")
  boolean json;

  LogsCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    if (lines < 0) {
      throw new CliException("Invalid --num " + lines + ": use 0 (only new lines, with --tail) or more");
    }
    if (source != null && !source.equals("app") && !source.equals("router") && !source.equals("platform")) {
      throw new CliException("Invalid --source " + source + ": use app, router or platform");
    }
    String path = appPath() + "/logs" + new QueryString().add("lines", lines).add("tail", tail)
        .add("format", json ? "json" : "text").add("source", source).add("dyno", dyno);
    PrintStream out = context.out();
    context.api().getLines(path, line -> {
      out.println(line);
      out.flush();
    });
    return 0;
  }
}
