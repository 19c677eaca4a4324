package dev.pier.api;

import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become problem JSON (RFC 9457) on the wire. */
final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  static void send(HttpServletRequest request, HttpServletResponse response, Throwable error) throws IOException {
    Problem problem;
    String detail;
    if (error instanceof PlatformException p) {
      problem = p.problem();
      detail = p.getMessage();
    } else {
      problem = Problem.INTERNAL;
      detail = "internal error; the server log has details";
      LOG.error("request failed", error);
    }
    send(request, response, problem, detail);
  }

  static void send(HttpServletRequest request, HttpServletResponse response, Problem problem, String detail)
      throws IOException {
    if (response.isCommitted()) return;
    response.resetBuffer();
    settleBody(request, response);
    response.setStatus(problem.status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    if (problem == Problem.UNAUTHORIZED) response.setHeader("WWW-Authenticate", "Bearer realm=\"Pier\"");
    Json.MAPPER.writeValue(response.getOutputStream(), body(problem.status, problem.code, problem.title, detail));
  }

  /**
   * Keeps a kept-alive connection in step after an error answered before the request body was
   * read (a 401, 403 or 404 to a PUT, say): whatever of the body has already arrived is read and
   * dropped, and if that is not all of it the response says {@code Connection: close}. Without
   * this the server closes the connection after the response without saying so, and a client
   * that reuses it for its next request gets no answer at all. Only bytes already arrived are
   * read, so a caller who is refused cannot hold a server thread by trickling a body.
   */
  static void settleBody(HttpServletRequest request, HttpServletResponse response) {
    try {
      if (request.getInputStream().isFinished()) return;
      ServletContextRequest core = ServletContextRequest.getServletContextRequest(request);
      if (core != null && core.consumeAvailable()) return;
    } catch (IOException | RuntimeException e) {
      // The body was taken as a reader, or the connection broke: do not reuse it.
    }
    response.setHeader("Connection", "close");
  }

  /** The problem JSON fields; {@code code} is also the last segment of {@code type}. */
  static Map<String, Object> body(int status, String code, String title, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "https://pier.dev/problems/" + code.replace('_', '-'));
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    body.put("code", code);
    return body;
  }
}
