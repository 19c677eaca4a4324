package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.errors.PlatformException;
import dev.pier.rename.AppRenamer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /apps/APP/rename {"name": "NEW"}}: renames the app; answers its new name and URLs.
 * 422 for an invalid name, 409 for a taken one or while a change of the app is in progress.
 */
public final class AppRenameRoutes {
  private final AppService apps;
  private final AppRenamer renamer;

  public AppRenameRoutes(AppService apps, AppRenamer renamer) {
    this.apps = apps;
    this.renamer = renamer;
  }

  public void register(ApiServlet api) {
    api.on("POST", AppRoutes.APP + "/rename/?", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode name = ex.body().get("name");
      if (name == null || !name.isTextual()) throw PlatformException.invalid("name must be a string, e.g. {\"name\": \"shop\"}");
      App renamed = renamer.rename(app.name(), name.asText(), ex.user);
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("name", renamed.name().value());
      view.put("renamed_from", app.name().value());
      view.put("web_url", apps.webUrl(renamed.name()));
      view.put("git_url", apps.gitUrl(renamed.name()));
      ex.json(200, view);
    });
  }
}
