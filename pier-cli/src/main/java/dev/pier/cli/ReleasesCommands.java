package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code releases} topic: list releases, show one, and roll back to an earlier one. */
final class ReleasesCommands {
  private ReleasesCommands() {}

  @Command(
      name = "releases",
      mixinStandardHelpOptions = true,
      description = {"List an app's releases, newest first, with each one's state.",
          "States: current (promoted), serving N% (has traffic), running, stopped or failed."})
  static final class ListReleases extends AppCommand {
    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    ListReleases(CliContext context) {
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
      String current = Arrays.stream(releases).filter(Release::isCurrent).findFirst()
          .map(r -> " - Current: v" + r.version()).orElse("");
      out.println(Format.header(appName() + " Releases" + current));
      if (releases.length == 0) {
        out.println("No releases yet: deploy with `git push pier main` or `pier deploy`.");
        return 0;
      }
      int versionWidth = width(releases, r -> "v" + r.version());
      int descriptionWidth = width(releases, r -> text(r.description()));
      int byWidth = width(releases, r -> text(r.createdBy()));
      Instant now = context.clock().instant();
      for (Release release : releases) {
        String line = Format.pad("v" + release.version(), versionWidth) + "  "
            + Format.pad(text(release.description()), descriptionWidth) + "  "
            + Format.pad(text(release.createdBy()), byWidth);
        if (release.createdAt() != null) {
          line += "  " + Format.timeAgo(release.createdAt(), Duration.between(release.createdAt(), now));
        }
        line += "  " + release.stateLabel();
        out.println(line.stripTrailing());
      }
      return 0;
    }

    private static int width(Release[] releases, java.util.function.Function<Release, String> column) {
      return Arrays.stream(releases).mapToInt(r -> column.apply(r).length()).max().orElse(0);
    }
  }

  @Command(
      name = "releases:info",
      mixinStandardHelpOptions = true,
      description = "Show one release: what it is, its state, config var names and version URL.")
  static final class Info extends AppCommand {
    @Parameters(paramLabel = "VERSION", description = "The release, such as v3 or 3.")
    String version;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    Info(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      VersionArgument wanted = VersionArgument.parse(version);
      JsonNode node = context.api().get(appPath() + "/releases/" + wanted.number());
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(node));
        return 0;
      }
      Release release = Json.convert(node, Release.class);
      out.println(Format.header(appName() + " Release v" + release.version()));
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("Description", text(release.description()));
      fields.put("By", text(release.createdBy()));
      if (release.createdAt() != null) {
        fields.put("When", Format.timeAgo(release.createdAt(),
            Duration.between(release.createdAt(), context.clock().instant())));
      }
      fields.put("State", release.stateLabel());
      if (release.percent() != null) {
        fields.put("Traffic", release.percent() + "%");
      }
      if (release.instances() != null) {
        fields.put("Instances", String.valueOf(release.instances()));
      }
      List<String> processes = new ArrayList<>();
      release.processes().forEach((type, command) -> processes.add(type + ": " + command));
      fields.put("Processes", Format.list(processes));
      fields.put("Config vars", release.configKeys().isEmpty() ? "(none)" : Format.list(release.configKeys()));
      if (release.buildpack() != null) {
        fields.put("Buildpack", release.buildpack());
      }
      if (release.language() != null) {
        fields.put("Language", release.language());
      }
      if (release.runtime() != null) {
        fields.put("Runtime", release.runtime());
      }
      if (release.build() != null) {
        fields.put("Build", release.build() + " (`pier builds:info " + release.build() + "`)");
      }
      if (release.versionUrl() != null) {
        fields.put("Version URL", release.versionUrl());
      }
      if (Boolean.FALSE.equals(release.slugAvailable())) {
        fields.put("Slug", "gone (cannot run or roll back)");
      }
      Format.keyValues(fields).forEach(out::println);
      return 0;
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = {"Roll back to an earlier release (default: the one before the current one).",
          "Makes a new release with its build, config vars and process types,",
          "rolled out with zero downtime."})
  static final class Rollback extends AppCommand {
    @Parameters(arity = "0..1", paramLabel = "VERSION", description = "The release to go back to, such as v3 or 3.")
    String version;

    @Option(names = "--with-data", description = "Also restore the app's PostgreSQL add-ons to the snapshot taken before the"
        + " next release phase after VERSION (the data as VERSION left it); needs --confirm.")
    boolean withData;

    @Option(names = "--confirm", paramLabel = "APP", description = "The app's name, to confirm --with-data.")
    String confirm;

    Rollback(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      VersionArgument target = version == null ? null : VersionArgument.parse(version);
      String name = appName();
      ObjectNode body = Json.MAPPER.createObjectNode();
      if (target != null) {
        body.put("version", target.number());
      }
      PrintStream out = context.out();
      ApiClient api = context.api();
      if (withData) { // #11: the data first, as the release left it
        if (target == null) throw new CliException("--with-data needs the release to go back to, e.g. pier rollback v3 --with-data");
        if (!name.equals(confirm)) throw new CliException("--with-data replaces the data of " + name + "'s PostgreSQL add-ons: confirm with --confirm " + name);
        out.print("Restoring " + name + "'s PostgreSQL data as " + target + " left it... ");
        out.flush();
        api.post("/apps/" + name + "/rollback-data", Json.MAPPER.createObjectNode().put("version", target.number()).put("confirm", confirm));
        out.println("done");
      }
      out.println("Rolling back " + name + " to " + (target == null ? "the previous release" : target) + "...");
      out.flush();
      JsonNode result = OperationStream.follow(out, "Rollback failed",
          lines -> api.sendJsonLines("POST", "/apps/" + name + "/rollback", body, lines));
      out.println("Rolled back to " + (target == null ? "the previous release" : target)
          + " as v" + result.path("release").asText());
      return 0;
    }
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
