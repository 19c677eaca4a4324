package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.deploy.InstanceSize;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import dev.pier.oneoff.OneOff;
import dev.pier.oneoff.OneOffRequest;
import dev.pier.oneoff.OneOffs;
import dev.pier.runtime.Attachment;
import dev.pier.runtime.Interactive;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServerContainer;

/**
 * One-off processes: {@code POST /apps/APP/runs} starts one, {@code GET
 * /apps/APP/runs/NAME/attach} is the WebSocket its client attaches through ({@link AttachSocket}),
 * {@code POST /apps/APP/ps/stop} stops one. Registered by the server next to the other routes.
 */
public final class OneOffRoutes {
  private final AppService apps;
  private final OneOffs oneOffs;

  public OneOffRoutes(AppService apps, OneOffs oneOffs) {
    this.apps = apps;
    this.oneOffs = oneOffs;
  }

  public void register(ApiServlet api) {
    api.on("POST", AppRoutes.APP + "/runs", ex -> {
      App app = apps.get(ex.param(1));
      OneOff run = oneOffs.start(app.name().value(), request(ex.body()));
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("name", run.name());
      view.put("command", run.command());
      view.put("release", run.release());
      view.put("attach", run.attached());
      view.put("started_at", run.startedAt());
      view.put("time_limit_seconds", run.timeLimit().toSeconds());
      if (run.attached()) view.put("attach_url", "/apps/" + run.app() + "/runs/" + run.name() + "/attach");
      ex.json(201, view);
    });
    api.on("GET", AppRoutes.APP + "/runs/([^/]+)/attach", ex -> {
      App app = apps.get(ex.param(1));
      // A browser sends its cookies with a cross-site WebSocket: only a token attaches.
      if (ex.request.getHeader("Authorization") == null) {
        throw new PlatformException(Problem.FORBIDDEN, "attaching needs `Authorization: Bearer TOKEN`");
      }
      String origin = ex.request.getHeader("Origin");
      if (origin != null && !sameHost(origin, ex.request.getHeader("Host"))) {
        throw new PlatformException(Problem.FORBIDDEN, "attach refused from another origin (" + origin + ")");
      }
      if (!"websocket".equalsIgnoreCase(ex.request.getHeader("Upgrade"))) {
        throw PlatformException.badRequest("attach is a WebSocket: send an Upgrade: websocket request");
      }
      String name = ex.param(2);
      String appName = app.name().value();
      Attachment attachment = oneOffs.attach(appName, name);
      JettyWebSocketServerContainer container =
          JettyWebSocketServerContainer.getContainer(ex.request.getServletContext());
      boolean upgraded = container != null && container.upgrade(
          (req, resp) -> new AttachSocket(attachment, () -> oneOffs.finished(appName, name),
              () -> oneOffs.disconnected(appName, name)),
          ex.request, ex.response);
      if (!upgraded) {
        attachment.close();
        oneOffs.disconnected(appName, name);
        throw PlatformException.badRequest("could not upgrade to a WebSocket");
      }
    });
    api.on("POST", AppRoutes.APP + "/ps/stop", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      if (!body.path("instance").isTextual()) {
        throw PlatformException.invalid("instance is required, e.g. {\"instance\": \"run.1\"}");
      }
      String name = body.get("instance").asText();
      oneOffs.stop(app.name().value(), name);
      ex.json(200, Map.of("stopped", name));
    });
  }

  /** Reads {@code {"command", "size", "attach", "tty", "columns", "rows", "time_limit_seconds"}}. */
  static OneOffRequest request(JsonNode body) {
    JsonNode command = body.path("command");
    if (!command.isTextual() || command.asText().isBlank()) {
      throw PlatformException.invalid("command is required, e.g. {\"command\": \"bash\"}");
    }
    InstanceSize size = null;
    if (body.hasNonNull("size")) {
      if (!body.get("size").isTextual()) throw PlatformException.invalid("size must be a string, e.g. \"standard-2x\"");
      size = InstanceSize.parse(body.get("size").asText());
    }
    Interactive interactive = null;
    if (body.path("attach").asBoolean(false)) {
      if (body.path("tty").asBoolean(false)) {
        int columns = whole(body, "columns", 0, 10_000);
        int rows = whole(body, "rows", 0, 10_000);
        interactive = Interactive.terminal(columns, rows);
      } else {
        interactive = Interactive.pipes();
      }
    }
    Duration limit = null;
    if (body.hasNonNull("time_limit_seconds")) {
      JsonNode v = body.get("time_limit_seconds");
      if (!v.canConvertToLong() || !v.isIntegralNumber()) {
        throw PlatformException.invalid("time_limit_seconds must be a whole number of seconds");
      }
      limit = Duration.ofSeconds(v.asLong());
    }
    return new OneOffRequest(command.asText(), OneOffs.RUN, size, interactive, limit);
  }

  private static int whole(JsonNode body, String field, int min, int max) {
    if (!body.hasNonNull(field)) return 0;
    JsonNode v = body.get(field);
    if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
      throw PlatformException.invalid(field + " must be a whole number from " + min + " to " + max);
    }
    return v.asInt();
  }

  /** True when a browser's {@code Origin} is the API's own host (and port). */
  static boolean sameHost(String origin, String host) {
    try {
      java.net.URI uri = java.net.URI.create(origin);
      String authority = uri.getRawAuthority();
      return authority != null && host != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
