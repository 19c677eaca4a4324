package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pier releases}: an app's releases, newest first. */
@Command(name = "releases", mixinStandardHelpOptions = true, description = "List an app's releases.")
final class ReleasesCommand extends AppCommand {
  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  ReleasesCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    JsonNode node = context.api().get(appPath() + "/releases");
    PrintStream out = context.out();
    if (json) {
      out.println(Json.pretty(node));
      return 0;
    }
    Release[] releases = Json.convert(node, Release[].class);
    String current = Arrays.stream(releases).filter(Release::current).findFirst()
        .map(r -> " - Current: v" + r.version()).orElse("");
    out.println(Format.header(appName() + " Releases" + current));
    if (releases.length == 0) {
      out.println("No releases yet: deploy with `git push pier main` or `pier deploy`.");
      return 0;
    }
    int versionWidth = Arrays.stream(releases).mapToInt(r -> ("v" + r.version()).length()).max().orElse(0);
    int descriptionWidth = Arrays.stream(releases).mapToInt(r -> text(r.description()).length()).max().orElse(0);
    int byWidth = Arrays.stream(releases).mapToInt(r -> text(r.createdBy()).length()).max().orElse(0);
    Instant now = context.clock().instant();
    for (Release release : releases) {
      String line = Format.pad("v" + release.version(), versionWidth) + "  "
          + Format.pad(text(release.description()), descriptionWidth) + "  "
          + Format.pad(text(release.createdBy()), byWidth);
      if (release.createdAt() != null) {
        line += "  " + Format.timeAgo(release.createdAt(), Duration.between(release.createdAt(), now));
      }
      out.println(line.stripTrailing());
    }
    return 0;
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
