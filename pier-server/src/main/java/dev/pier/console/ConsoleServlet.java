package dev.pier.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.auth.Authenticator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web console under {@code /console/}: the login form ({@code GET/POST /console/login}), logout
 * ({@code POST /console/logout}, needs the CSRF token), the session's CSRF token for the page's
 * scripts ({@code GET /console/session}), and the single-page app's static files, all read from
 * the classpath folder {@code console/} once at start. The app itself talks to the REST API with
 * the session cookie (see {@link ConsoleSessions#access}).
 */
public final class ConsoleServlet extends HttpServlet {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOGIN_ERROR_SLOT = "<!--ERROR-->";
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  /** A static file served as is. */
  private record Asset(byte[] bytes, String contentType) {}

  private final transient Authenticator auth;
  private final transient ConsoleSessions sessions;
  private final transient String loginPage;
  private final transient Map<String, Asset> assets = new LinkedHashMap<>();

  public ConsoleServlet(Authenticator auth, ConsoleSessions sessions) {
    this.auth = auth;
    this.sessions = sessions;
    this.loginPage = new String(resource("login.html"), StandardCharsets.UTF_8);
    assets.put("/", new Asset(resource("index.html"), "text/html; charset=utf-8"));
    assets.put("/app.js", new Asset(resource("app.js"), "text/javascript; charset=utf-8"));
    assets.put("/app.css", new Asset(resource("app.css"), "text/css; charset=utf-8"));
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setHeader("Content-Security-Policy", CSP);
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("Referrer-Policy", "same-origin"); // not no-referrer: then form POSTs send Origin: null
    resp.setHeader("X-Frame-Options", "DENY");
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    String method = req.getMethod();
    switch (path) {
      case "" -> redirect(resp, "/console/");
      case "/login" -> {
        if (method.equals("POST")) login(req, resp);
        else if (method.equals("GET")) {
          if (sessions.find(req) != null) redirect(resp, "/console/");
          else loginPage(resp, 200, null);
        } else notAllowed(resp);
      }
      case "/logout" -> {
        if (method.equals("POST")) logout(req, resp);
        else notAllowed(resp);
      }
      case "/session" -> {
        if (method.equals("GET")) session(req, resp);
        else notAllowed(resp);
      }
      default -> {
        Asset asset = assets.get(path);
        if (asset == null) {
          text(resp, 404, "Not found: " + path);
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
          notAllowed(resp);
        } else if (path.equals("/") && sessions.find(req) == null) {
          redirect(resp, "/console/login");
        } else {
          resp.setStatus(200);
          resp.setContentType(asset.contentType());
          resp.setHeader("Cache-Control", "no-store");
          resp.setContentLength(asset.bytes().length);
          if (method.equals("GET")) resp.getOutputStream().write(asset.bytes());
        }
      }
    }
  }

  private void login(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!sameOrigin(req)) {
      loginPage(resp, 403, "This login form was sent from another site; open the console directly.");
      return;
    }
    String token = req.getParameter("token");
    String user = auth.userFor(token == null ? null : token.trim());
    if (user == null) {
      try {
        Thread.sleep(200); // slows down guessing
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      loginPage(resp, 401, token == null || token.isBlank()
          ? "Paste your API token (printed at the first start; also in DATA/admin-token)."
          : "That API token is not valid.");
      return;
    }
    ConsoleSessions.Session s = sessions.create(user);
    resp.addHeader("Set-Cookie", ConsoleSessions.COOKIE + "=" + s.id() + "; Path=/; Max-Age="
        + sessions.ttl().toSeconds() + "; HttpOnly; SameSite=Strict" + (req.isSecure() ? "; Secure" : ""));
    redirect(resp, "/console/");
  }

  private void logout(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    ConsoleSessions.Session s = sessions.find(req);
    if (s != null) {
      String token = req.getHeader(ConsoleSessions.CSRF_HEADER);
      if (token == null) token = req.getParameter("csrf");
      if (!sameOrigin(req) || !ConsoleSessions.csrfMatches(s, token)) {
        text(resp, 403, "Logout refused: the CSRF token is missing or wrong. Reload the console and try again.");
        return;
      }
      sessions.end(s.id());
    }
    resp.addHeader("Set-Cookie", ConsoleSessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    redirect(resp, "/console/login");
  }

  private void session(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    ConsoleSessions.Session s = sessions.find(req);
    resp.setHeader("Cache-Control", "no-store");
    Map<String, Object> body = new LinkedHashMap<>();
    if (s == null) {
      resp.setStatus(401);
      resp.setContentType("application/problem+json");
      body.put("type", "https://pier.dev/problems/unauthorized");
      body.put("title", "Unauthorized");
      body.put("status", 401);
      body.put("detail", "not logged in to the console");
      body.put("code", "unauthorized");
    } else {
      resp.setStatus(200);
      resp.setContentType("application/json");
      body.put("user", s.user());
      body.put("csrf_token", s.csrfToken());
      body.put("expires_at", s.expiresAt().toString());
    }
    resp.setCharacterEncoding("UTF-8");
    JSON.writeValue(resp.getOutputStream(), body);
  }

  /**
   * True unless the browser says the request comes from another origin: {@code Origin} (sent by
   * browsers on POST), when present, must name this host and port.
   */
  static boolean sameOrigin(HttpServletRequest req) {
    String origin = req.getHeader("Origin");
    if (origin == null) return true;
    String host = req.getHeader("Host");
    try {
      URI uri = URI.create(origin);
      String authority = uri.getRawAuthority();
      return host != null && authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void loginPage(HttpServletResponse resp, int status, String error) throws IOException {
    String html = loginPage.replace(LOGIN_ERROR_SLOT,
        error == null ? "" : "<p class=\"error\" id=\"login-error\" role=\"alert\">" + escape(error) + "</p>");
    resp.setStatus(status);
    resp.setContentType("text/html; charset=utf-8");
    resp.setHeader("Cache-Control", "no-store");
    resp.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
  }

  private static void redirect(HttpServletResponse resp, String to) {
    resp.setStatus(303);
    resp.setHeader("Location", to);
    resp.setContentLength(0);
  }

  private static void notAllowed(HttpServletResponse resp) throws IOException {
    text(resp, 405, "Method not allowed");
  }

  private static void text(HttpServletResponse resp, int status, String message) throws IOException {
    resp.setStatus(status);
    resp.setContentType("text/plain; charset=utf-8");
    resp.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static byte[] resource(String name) {
    try (InputStream in = ConsoleServlet.class.getResourceAsStream("/console/" + name)) {
      if (in == null) throw new IllegalStateException("console asset missing from the jar: console/" + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
