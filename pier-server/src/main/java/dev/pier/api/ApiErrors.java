package dev.pier.api;

import dev.pier.server.PlatformException;
import dev.pier.server.Problem;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become problem JSON (RFC 9457) on the wire. */
final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  static void send(HttpServletResponse response, Throwable error) throws IOException {
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
    send(response, problem, detail);
  }

  static void send(HttpServletResponse response, Problem problem, String detail) throws IOException {
    if (response.isCommitted()) return;
    response.resetBuffer();
    response.setStatus(problem.status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    if (problem == Problem.UNAUTHORIZED) response.setHeader("WWW-Authenticate", "Bearer realm=\"Pier\"");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "https://pier.dev/problems/" + problem.code.replace('_', '-'));
    body.put("title", problem.title);
    body.put("status", problem.status);
    body.put("detail", detail);
    body.put("code", problem.code);
    Json.MAPPER.writeValue(response.getOutputStream(), body);
  }
}
