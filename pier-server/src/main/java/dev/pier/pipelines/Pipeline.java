package dev.pier.pipelines;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A pipeline: its stages in promotion order, each with its apps. */
public record Pipeline(String name, Instant createdAt, List<Stage> stages) {
  public Pipeline {
    stages = List.copyOf(stages);
  }

  /** A stage of a pipeline (such as staging or production) and its apps, sorted by name. */
  public record Stage(String name, List<String> apps) {
    public Stage {
      apps = List.copyOf(apps);
    }
  }

  /** The stage {@code app} is in, with its index. */
  public Optional<Placement> placementOf(String app) {
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).apps().contains(app)) return Optional.of(new Placement(this, i));
    }
    return Optional.empty();
  }

  /** Where an app sits in a pipeline. */
  public record Placement(Pipeline pipeline, int index) {
    public Stage stage() {
      return pipeline.stages().get(index);
    }

    /** The stage after this one, the one a promotion goes to. */
    public Optional<Stage> next() {
      return index + 1 < pipeline.stages().size()
          ? Optional.of(pipeline.stages().get(index + 1)) : Optional.empty();
    }
  }
}
