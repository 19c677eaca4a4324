package dev.pier.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pier} itself: prints the help when run without a command, and lists every command. */
@Command(
    name = "pier",
    mixinStandardHelpOptions = true,
    version = "pier 0.1.0",
    description = "Deploy and run apps on Pier, a self-hosted Heroku-like platform.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      CommandLine.HelpCommand.class,
      LoginCommand.class,
      // #10 account and maintenance mode
      AccountCommands.WhoAmI.class,
      AccountCommands.Logout.class,
      MaintenanceCommands.Show.class,
      MaintenanceCommands.On.class,
      MaintenanceCommands.Off.class,
      // #12 per-app router limits
      RouterSettingsCommands.Show.class,
      RouterSettingsCommands.Set.class,
      RouterSettingsCommands.Reset.class,
      // #12 custom domains
      AddonsCommands.ListAddons.class,
      AddonsCommands.Create.class,
      AddonsCommands.Info.class,
      AddonsCommands.Attach.class,
      AddonsCommands.Detach.class,
      AddonsCommands.Destroy.class,
      AddonsCommands.Rotate.class,
      AddonsCommands.Plans.class,
      PgCommands.Info.class,
      PgCommands.Psql.class,
      PgCommands.Backups.class,
      PgCommands.Capture.class,
      PgCommands.Restore.class,
      PgCommands.Schedule.class,
      PgCommands.RedisCli.class,
      PgCommands.RedisInfo.class,
      DomainsCommands.ListDomains.class,
      DomainsCommands.Add.class,
      DomainsCommands.Remove.class,
      DomainsCommands.Clear.class,
      // #12 HTTPS certificates
      CertsCommands.Ca.class,
      CertsCommands.List.class,
      CertsCommands.Add.class,
      CertsCommands.Remove.class,
      // #12 features (https-only, hsts)
      FeaturesCommands.ListFeatures.class,
      FeaturesCommands.Enable.class,
      FeaturesCommands.Disable.class,
      CertsCommands.Auto.class, // #12 automatic certificates (ACME)
      CertsCommands.AutoEnable.class,
      CertsCommands.AutoDisable.class,
      AppsCommands.ListApps.class,
      AppsCommands.Create.class,
      AppInfoCommand.class,
      AppsCommands.Destroy.class,
      AppsRenameCommand.class,
      // #10 pipelines
      PipelinesCommands.ListPipelines.class,
      PipelinesCommands.Create.class,
      PipelinesCommands.Info.class,
      PipelinesCommands.Destroy.class,
      PipelinesCommands.Promote.class,
      PipelinesCommands.Diff.class,
      GitRemoteCommand.class,
      GitCredentialCommand.class,
      DeployCommand.class,
      PsCommands.ListInstances.class,
      PsCommands.Scale.class,
      PsCommands.Restart.class,
      PsTypeCommand.class,
      AutoscaleCommands.Show.class,
      AutoscaleCommands.Enable.class,
      AutoscaleCommands.Disable.class,
      LogsCommand.class,
      LogSearchCommand.class,
      LogRetentionCommands.Show.class,
      LogRetentionCommands.Set.class,
      DrainsCommands.ListDrains.class,
      DrainsCommands.Add.class,
      DrainsCommands.Remove.class,
      MetricsCommand.class,
      TransactionsCommand.class,
      ConfigCommands.ListVars.class,
      ConfigCommands.Set.class,
      ConfigCommands.Unset.class,
      ConfigCommands.Get.class,
      ReleasesCommands.ListReleases.class,
      ReleasesCommands.Info.class,
      ReleasesCommands.Rollback.class,
      VersionsCommands.ListVersions.class,
      VersionsCommands.Stop.class,
      VersionsCommands.Start.class,
      TrafficCommands.Split.class,
      TrafficCommands.Migrate.class,
      HealthcheckCommands.Show.class,
      HealthcheckCommands.Set.class,
      HealthcheckCommands.Unset.class,
      HealthcheckCommands.Timeout.class,
      OpenCommand.class,
      DoctorCommand.class,
      // #13 scheduled jobs
      CronCommands.ListJobs.class,
      CronCommands.Add.class,
      CronCommands.Remove.class,
      CronCommands.RunNow.class,
      CronCommands.Runs.class,
      // One-off processes
      RunCommands.Run.class,
      RunCommands.Detached.class,
      PsCommands.Stop.class,
      // #13 buildpacks and builds
      BuildpacksCommands.ListBuildpacks.class,
      BuildpacksCommands.Set.class,
      BuildpacksCommands.Add.class,
      BuildpacksCommands.Remove.class,
      BuildpacksCommands.Clear.class,
      BuildsCommands.ListBuilds.class,
      BuildsCommands.Info.class,
      BuildsCommands.PurgeCache.class,
      // #10 branch previews
      PreviewsCommands.ListPreviews.class,
      PreviewsCommands.Destroy.class,
      PreviewsCommands.Settings.class,
    })
final class RootCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the command tree for one run, writing to the run's streams. */
  static CommandLine commandLine(CliContext context) {
    CommandLine cli = new CommandLine(new RootCommand(), new ContextFactory(context));
    cli.setOut(new PrintWriter(new OutputStreamWriter(context.out(), StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new OutputStreamWriter(context.err(), StandardCharsets.UTF_8), true));
    // Config values may start with '@'; they are never file references.
    cli.setExpandAtFiles(false);
    String version = cli.getCommandSpec().version()[0];
    cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().version(version));
    // `pier run ls -la -a APP`: options pier does not know belong to the command.
    for (String run : new String[] {"run", "run:detached"}) {
      cli.getSubcommands().get(run).setUnmatchedOptionsArePositionalParams(true);
    }
    ErrorHandler errors = new ErrorHandler(context);
    cli.setExecutionExceptionHandler(errors);
    cli.setParameterExceptionHandler(errors);
    return cli;
  }
}
