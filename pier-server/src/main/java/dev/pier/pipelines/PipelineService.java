package dev.pier.pipelines;

import dev.pier.app.AppService;
import dev.pier.errors.PlatformException;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creating, listing and destroying pipelines. A pipeline's name follows the rules of app names; a
 * stage name is 1 to 30 lowercase letters, digits and dashes (Heroku's review, development,
 * staging and production are the usual ones, any name is allowed); an app is in one pipeline at
 * most and in one stage of it.
 */
public final class PipelineService {
  private static final Pattern STAGE = Pattern.compile("[a-z][a-z0-9-]{0,29}");
  /** Most stages a pipeline may have. */
  public static final int MAX_STAGES = 10;

  private final PipelineStore store;
  private final AppService apps;
  private final LogBus logs;
  private final InstantSource clock;

  public PipelineService(PipelineStore store, AppService apps, LogBus logs, InstantSource clock) {
    this.store = store;
    this.apps = apps;
    this.logs = logs;
    this.clock = clock;
  }

  /** Creates a pipeline; 422 for a bad name, stage or app, 404 for an unknown app, 409 for a taken name or app. */
  public Pipeline create(String name, List<Pipeline.Stage> stages, String user) {
    String pipelineName = pipelineName(name);
    if (stages.isEmpty()) throw PlatformException.invalid("a pipeline needs at least one stage, e.g. staging=APP");
    if (stages.size() > MAX_STAGES) throw PlatformException.invalid("a pipeline has at most " + MAX_STAGES + " stages");
    Set<String> stageNames = new HashSet<>();
    Set<String> seen = new HashSet<>();
    List<Pipeline.Stage> checked = new ArrayList<>();
    for (Pipeline.Stage stage : stages) {
      if (stage.name() == null || !STAGE.matcher(stage.name()).matches()) {
        throw PlatformException.invalid("invalid stage name '" + printable(stage.name())
            + "': use 1 to 30 lowercase letters, digits and dashes, starting with a letter (e.g. staging)");
      }
      if (!stageNames.add(stage.name())) throw PlatformException.invalid("stage " + stage.name() + " is given twice");
      if (stage.apps().isEmpty()) throw PlatformException.invalid("stage " + stage.name() + " has no app");
      List<String> stageApps = new ArrayList<>();
      for (String app : stage.apps()) {
        AppName appName = apps.get(app).name(); // 422 invalid, 404 unknown
        if (!seen.add(appName.value())) {
          throw PlatformException.invalid("app " + appName + " is given twice: an app is in one stage only");
        }
        store.ofApp(appName.value()).ifPresent(other -> {
          throw PlatformException.conflict("app " + appName + " is already in pipeline " + other.name()
              + ": an app is in one pipeline at most");
        });
        stageApps.add(appName.value());
      }
      checked.add(new Pipeline.Stage(stage.name(), stageApps.stream().sorted().toList()));
    }
    Pipeline pipeline = new Pipeline(pipelineName, clock.instant(), checked);
    boolean stored;
    try {
      stored = store.insert(pipeline);
    } catch (dev.pier.store.Database.StoreException e) {
      // Another request put one of the apps in a pipeline in between.
      throw PlatformException.conflict("an app of " + pipelineName + " was just put in another pipeline: try again");
    }
    if (!stored) throw PlatformException.conflict("pipeline name '" + pipelineName + "' is already taken");
    for (Pipeline.Stage stage : checked) {
      for (String app : stage.apps()) {
        logs.platform(app, "api", "Added to pipeline " + pipelineName + " (" + stage.name() + ") by " + user);
      }
    }
    return pipeline;
  }

  public List<Pipeline> list() {
    return store.all();
  }

  public Pipeline get(String name) {
    String checked = pipelineName(name);
    return store.find(checked).orElseThrow(() -> PlatformException.notFound("pipeline '" + checked + "' not found"));
  }

  /** The pipeline the app is in and its stage there, if any. */
  public Optional<Pipeline.Placement> placementOf(AppName app) {
    return store.ofApp(app.value()).flatMap(p -> p.placementOf(app.value()));
  }

  /** Deletes the pipeline; its apps stay as they are. */
  public void destroy(String name, String user) {
    Pipeline pipeline = get(name);
    store.delete(pipeline.name());
    for (Pipeline.Stage stage : pipeline.stages()) {
      for (String app : stage.apps()) logs.platform(app, "api", "Pipeline " + pipeline.name() + " destroyed by " + user);
    }
  }

  private static String pipelineName(String name) {
    try {
      return new AppName(name).value();
    } catch (IllegalArgumentException e) {
      throw PlatformException.invalid(e.getMessage().replace("app name", "pipeline name"));
    }
  }

  private static String printable(String value) {
    return value == null ? "" : value.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
