package dev.pier.api;

import dev.pier.auth.Authenticator;
import dev.pier.console.ConsoleSessions;
import dev.pier.errors.Problem;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dispatches API requests to handlers registered by the {@code *Routes} classes. Every route but
 * {@code GET /} needs a bearer token, or a web console session cookie (whose CSRF rules
 * {@link ConsoleSessions#access} applies). Errors of any handler go through {@link ApiErrors}.
 */
public final class ApiServlet extends HttpServlet {
  /** Handles one matched request. */
  @FunctionalInterface
  interface Handler {
    void handle(Exchange exchange) throws Exception;
  }

  private record Route(String method, Pattern path, boolean open, Handler handler) {}

  private final transient List<Route> routes = new ArrayList<>();
  private final transient Authenticator auth;
  private transient volatile ConsoleSessions consoleSessions;

  public ApiServlet(Authenticator auth) {
    this.auth = auth;
  }

  /** Also accepts the web console's session cookie (with its CSRF checks) instead of a token. */
  public void acceptConsoleSessions(ConsoleSessions sessions) {
    this.consoleSessions = sessions;
  }

  /** Registers a route; {@code path} is a regex whose groups become {@link Exchange#param}. */
  void on(String method, String path, Handler handler) {
    routes.add(new Route(method, Pattern.compile(path), false, handler));
  }

  void onOpen(String method, String path, Handler handler) {
    routes.add(new Route(method, Pattern.compile(path), true, handler));
  }

  /**
   * Answers in this order: an open route runs at once; any other request must authenticate (401
   * or 403 otherwise, whatever the path or method, so nothing about the API's routes is told to
   * a caller without a token); then the matching route runs, or 405 when the path exists with
   * other methods, or 404.
   */
  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI();
    boolean pathMatched = false;
    Route found = null;
    Matcher foundMatch = null;
    for (Route route : routes) {
      Matcher m = route.path.matcher(path);
      if (!m.matches()) continue;
      pathMatched = true;
      if (route.method.equals(req.getMethod())) {
        found = route;
        foundMatch = m;
        break;
      }
    }
    String user = null;
    if (found == null || !found.open) {
      user = authenticate(req, resp);
      if (user == null) return;
    }
    if (found != null) {
      try {
        found.handler.handle(new Exchange(req, resp, foundMatch, user));
      } catch (Exception e) {
        ApiErrors.send(req, resp, e);
      }
    } else if (pathMatched) {
      ApiErrors.send(req, resp, Problem.METHOD_NOT_ALLOWED, "method " + req.getMethod() + " not allowed on " + path);
    } else {
      ApiErrors.send(req, resp, Problem.NOT_FOUND, "no such API endpoint: " + req.getMethod() + " " + path);
    }
  }

  /** The user of a bearer token or console session; null after answering 401 or 403. */
  private String authenticate(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String user = auth.userForBearer(req.getHeader("Authorization"));
    ConsoleSessions console = consoleSessions;
    // A request that sends a token is judged by it alone: an invalid one never falls back to a
    // console cookie the browser added.
    if (user == null && console != null && req.getHeader("Authorization") == null) {
      switch (console.access(req)) {
        case ConsoleSessions.Access.Granted g -> user = g.user();
        case ConsoleSessions.Access.Refused r -> {
          ApiErrors.send(req, resp, Problem.FORBIDDEN, r.detail());
          return null;
        }
        case ConsoleSessions.Access.None n -> { }
      }
    }
    if (user == null) {
      String why = req.getHeader("Authorization") == null ? "missing" : "invalid";
      ApiErrors.send(req, resp, Problem.UNAUTHORIZED,
          "API token " + why + ": send `Authorization: Bearer TOKEN` (run `pier login`)");
    }
    return user;
  }
}
