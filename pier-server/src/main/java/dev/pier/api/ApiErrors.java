package dev.pier.api;

import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
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
    Json.MAPPER.writeValue(response.getOutputStream(), body(problem.status, problem.code, problem.title, detail));
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
