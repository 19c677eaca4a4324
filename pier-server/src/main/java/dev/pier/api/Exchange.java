package dev.pier.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.errors.PlatformException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;

/** One API request being handled: path parameters, JSON body, and responses. */
final class Exchange {
  private static final int MAX_JSON_BYTES = 1 << 20;

  final HttpServletRequest request;
  final HttpServletResponse response;
  final String user;
  private final Matcher path;

  Exchange(HttpServletRequest request, HttpServletResponse response, Matcher path, String user) {
    this.request = request;
    this.response = response;
    this.path = path;
    this.user = user;
  }

  /** The n-th captured segment of the path pattern. */
  String param(int n) {
    return path.group(n);
  }

  String query(String name, String fallback) {
    String value = request.getParameter(name);
    return value == null ? fallback : value;
  }

  int queryInt(String name, int fallback, int min, int max) {
    String value = request.getParameter(name);
    if (value == null) return fallback;
    try {
      int n = Integer.parseInt(value);
      if (n < min || n > max) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw PlatformException.badRequest(
          "query parameter " + name + " must be a whole number from " + min + " to " + max);
    }
  }

  /** The request body as a JSON tree; an empty body reads as an empty object. */
  JsonNode body() throws IOException {
    byte[] bytes = request.getInputStream().readNBytes(MAX_JSON_BYTES + 1);
    if (bytes.length > MAX_JSON_BYTES) {
      throw new PlatformException(dev.pier.errors.Problem.TOO_LARGE, "JSON body is larger than 1 MB");
    }
    if (bytes.length == 0) return Json.MAPPER.createObjectNode();
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw PlatformException.badRequest("request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw PlatformException.badRequest("malformed JSON body: " + e.getOriginalMessage());
    }
  }

  void json(int status, Object value) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    Json.MAPPER.writeValue(response.getOutputStream(), value);
  }
}
