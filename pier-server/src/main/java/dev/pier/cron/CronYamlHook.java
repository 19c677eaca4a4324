package dev.pier.cron;

import dev.pier.deploy.SourceHook;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code cron.yaml} from the root of a pushed source before its build: a malformed file or
 * schedule fails the deploy (file and line named); once the release serves the app, its URL jobs
 * replace the app's (a push without the file removes them).
 */
public final class CronYamlHook implements SourceHook {
  /** Bigger than any sensible cron.yaml. */
  static final long MAX_BYTES = 256 * 1024;

  private final CronService cron;
  private final LogBus logs;

  public CronYamlHook(CronService cron, LogBus logs) {
    this.cron = cron;
    this.logs = logs;
  }

  @Override
  public OnRelease read(AppName app, Path sourceDir) throws Rejected {
    Path file = sourceDir.resolve(CronYaml.FILE_NAME);
    List<CronYaml.Entry> entries;
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      entries = List.of();
    } else {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new Rejected("cron.yaml must be a regular file");
      try {
        if (Files.size(file) > MAX_BYTES) throw new Rejected("cron.yaml is larger than " + MAX_BYTES / 1024 + " KB");
        entries = CronYaml.parse(Files.readString(file, StandardCharsets.UTF_8));
      } catch (ScheduleException e) {
        throw new Rejected(e.getMessage());
      } catch (IOException e) {
        throw new Rejected("cron.yaml could not be read: " + e.getMessage());
      }
    }
    return (release, out) -> {
      List<Job> jobs = cron.applyCronYaml(app.value(), entries);
      if (!jobs.isEmpty() || !entries.isEmpty()) {
        out.info("cron.yaml: " + jobs.size() + " scheduled URL job" + (jobs.size() == 1 ? "" : "s"));
        logs.platform(app.value(), JobRunner.PROCESS, "cron.yaml of " + release.name() + ": "
            + jobs.size() + " URL job" + (jobs.size() == 1 ? "" : "s"));
      }
    };
  }
}
