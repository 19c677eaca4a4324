package dev.pier.api;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.auth.Authenticator;
import dev.pier.deploy.BuildStore;
import dev.pier.deploy.ProcessManager;
import dev.pier.pipelines.PipelineService;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /apps/APP/info}: everything {@code pier apps:info} shows, in Heroku's terms: owner,
 * URLs, buildpacks, current release, formation with sizes, domains, add-ons, pipeline, maintenance.
 */
public final class AppInfoRoutes {
  /** The wire form. {@code addons} names the app's add-ons; {@code domains} lists the built-in one, then custom ones. */
  record AppInfo(
      String name, String owner, Instant createdAt, String webUrl, String gitUrl, List<String> buildpacks,
      String language, ReleaseSummary release, List<Process> formation, List<String> domains,
      List<String> addons, PipelineStage pipeline, boolean maintenance) {}

  record ReleaseSummary(int version, String description, Instant createdAt, String createdBy, String commit) {}

  record Process(String type, int quantity, String size) {}

  record PipelineStage(String name, String stage) {}

  private final AppService apps;
  private final ReleaseStore releases;
  private final ProcessManager processes;
  private final BuildStore builds;
  private final PipelineService pipelines;

  public AppInfoRoutes(AppService apps, ReleaseStore releases, ProcessManager processes, BuildStore builds,
      PipelineService pipelines) {
    this.apps = apps;
    this.releases = releases;
    this.processes = processes;
    this.builds = builds;
    this.pipelines = pipelines;
  }

  /** #12: the app's custom domains, listed after its built-in one; none when not set. */
  private volatile java.util.function.Function<dev.pier.model.AppName, List<String>> customDomains = a -> List.of();

  public void customDomains(java.util.function.Function<dev.pier.model.AppName, List<String>> source) {
    this.customDomains = source;
  }

  /** #11: the names of the add-ons attached to the app; none when not set. */
  private volatile java.util.function.Function<dev.pier.model.AppName, List<String>> addons = a -> List.of();

  public void addons(java.util.function.Function<dev.pier.model.AppName, List<String>> source) {
    this.addons = source;
  }

  public void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/info", ex -> ex.json(200, info(apps.get(ex.param(1)))));
  }

  AppInfo info(App app) {
    Release current = app.hasRelease() ? releases.find(app.name(), app.currentRelease()).orElse(null) : null;
    List<String> buildpacks = builds.buildpacks(app.name());
    String language = null;
    List<Process> formation = new ArrayList<>();
    if (current != null) {
      BuildStore.Build build = buildOf(app, current);
      if (build != null) {
        language = build.language();
        if (buildpacks.isEmpty() && build.buildpack() != null) buildpacks = List.of(build.buildpack().split(",\\s*"));
      }
      Map<String, Integer> quantities = processes.formation(app.name(), current);
      Map<String, Map<String, Object>> sizes = processes.sizes(app, current);
      quantities.forEach((type, quantity) -> formation.add(new Process(type, quantity,
          String.valueOf(sizes.getOrDefault(type, Map.of()).getOrDefault("size", "default")))));
    }
    PipelineStage pipeline = pipelines.placementOf(app.name())
        .map(p -> new PipelineStage(p.pipeline().name(), p.stage().name())).orElse(null);
    return new AppInfo(app.name().value(), Authenticator.ADMIN, app.createdAt(), apps.webUrl(app.name()),
        apps.gitUrl(app.name()), buildpacks, language,
        current == null ? null : new ReleaseSummary(current.version(), current.description(), current.createdAt(),
            current.createdBy(), current.commit()),
        formation, domains(app), addons.apply(app.name()), pipeline, apps.maintenance(app.name()));
  }

  private List<String> domains(App app) {
    List<String> all = new ArrayList<>();
    all.add(apps.host(app.name()));
    all.addAll(customDomains.apply(app.name()));
    return all;
  }

  /** The build that made the release's slug: the first release with that slug (later ones reuse it). */
  private BuildStore.Build buildOf(App app, Release release) {
    int first = release.version();
    if (release.slug() != null) {
      for (Release r : releases.list(app.name())) {
        if (release.slug().equals(r.slug()) && r.version() < first) first = r.version();
      }
    }
    return builds.forRelease(app.name(), first).orElse(null);
  }
}
