package dev.pier.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code pier open}: prints the app's web URL and, on a desktop ({@code DISPLAY} or
 * {@code WAYLAND_DISPLAY} set and {@code xdg-open} on the {@code PATH}), opens it in the browser.
 */
@Command(name = "open", mixinStandardHelpOptions = true, description = "Open the app in a web browser.")
final class OpenCommand extends AppCommand {
  OpenCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    App app = Json.convert(context.api().get(appPath()), App.class);
    context.out().println(app.webUrl());
    if (context.env("DISPLAY") != null || context.env("WAYLAND_DISPLAY") != null) {
      xdgOpen().ifPresent(command -> launch(command, app.webUrl()));
    }
    return 0;
  }

  private Optional<Path> xdgOpen() {
    String path = context.env("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "xdg-open");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Starts the browser without waiting for it; a failure only costs the convenience. */
  private void launch(Path command, String url) {
    try {
      new ProcessBuilder(command.toString(), url)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      context.err().println(Format.ERROR_PREFIX + "Could not start xdg-open: " + e.getMessage());
    }
  }
}
