package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pier deploy [DIR]}: uploads a directory as a tar.gz, prints the build output as it
 * streams back, and reports the new release (exit 0) or the build failure (exit 1).
 */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = {
      "Build and release an app from a local directory, without git push.",
      "Honours .gitignore inside a git work tree; never uploads node_modules/ or .git/."
    })
final class DeployCommand extends AppCommand {
  @Parameters(arity = "0..1", paramLabel = "DIR", description = "Source directory (default: the current one).")
  String dir;

  DeployCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws IOException {
    String name = appName();
    Path source = dir == null ? context.cwd() : context.cwd().resolve(dir).normalize();
    if (!Files.isDirectory(source)) {
      throw new CliException("Not a directory: " + source);
    }
    ApiClient api = context.api();
    App app = Json.convert(api.get("/apps/" + name), App.class);
    Path archive = Files.createTempFile("pier-deploy-", ".tar.gz");
    try {
      List<String> files = SourceFiles.list(source, context.git());
      long size = SourceArchive.write(source, files, archive);
      PrintStream out = context.out();
      out.println("Uploading " + (dir == null ? "." : dir) + " (" + Format.size(size) + ")...");
      out.flush();
      AtomicReference<JsonNode> result = new AtomicReference<>();
      api.postFileLines("/apps/" + name + "/deploy", archive, "application/gzip", line -> {
        JsonNode event = Json.parseOrNull(line);
        if (event == null || !event.isObject()) {
          out.println(line);
        } else if ("output".equals(event.path("type").asText())) {
          out.println(event.path("line").asText(""));
        } else if ("result".equals(event.path("type").asText())) {
          result.set(event);
        }
        out.flush();
      });
      return report(result.get(), app);
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  private int report(JsonNode result, App app) {
    if (result == null) {
      throw new CliException("The deploy ended without a result: the connection closed early");
    }
    if (!"succeeded".equals(result.path("status").asText())) {
      throw new CliException("Build failed: " + result.path("error").asText("unknown error"));
    }
    context.out().println("Released v" + result.path("release").asText());
    context.out().println(app.webUrl());
    return 0;
  }
}
