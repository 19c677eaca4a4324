package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pier deploy [DIR]}: uploads a directory as a tar.gz, prints the build output as it
 * streams back, and reports the new release (exit 0) or the build failure (exit 1). With
 * {@code --no-promote} the new version gets no public traffic and the version URL is printed.
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

  @Option(names = "--no-promote",
      description = "Start the new version without public traffic; it answers only at its version URL.")
  boolean noPromote;

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
      String path = "/apps/" + name + "/deploy" + (noPromote ? "?promote=false" : "");
      JsonNode result = OperationStream.follow(out, "Build failed",
          lines -> api.postFileLines(path, archive, "application/gzip", lines));
      return report(result, app);
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  private int report(JsonNode result, App app) {
    String release = "v" + result.path("release").asText();
    if (noPromote) {
      context.out().println("Released " + release + " (not promoted): " + versionUrl(app.webUrl(), release));
    } else {
      context.out().println("Released " + release);
      context.out().println(app.webUrl());
    }
    return 0;
  }

  /** Returns {@code http://v4.hello.localhost:8080/} for web URL {@code http://hello.localhost:8080/}. */
  static String versionUrl(String webUrl, String release) {
    URI web = URI.create(webUrl);
    String scheme = web.getScheme() == null ? "http" : web.getScheme();
    return scheme + "://" + release + "." + web.getHost() + (web.getPort() == -1 ? "" : ":" + web.getPort()) + "/";
  }
}
