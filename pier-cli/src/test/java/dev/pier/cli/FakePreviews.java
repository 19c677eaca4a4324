package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * #10 branch previews in {@link FakePierApi}: one app's previews by branch and its idle limit,
 * answering {@code /apps/APP/previews...} and {@code /apps/APP/preview-settings} as docs/api.md says.
 */
final class FakePreviews {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a request got: status and JSON body (a problem for 4xx). */
  record Answer(int status, JsonNode body) {}

  final Map<String, ObjectNode> byBranch = new TreeMap<>();
  long idleSeconds = 7 * 86400;

  /** Adds a running preview of {@code branch} at {@code label}.APP.localhost. */
  ObjectNode add(String app, String branch, String label, int version) {
    ObjectNode p = JSON.createObjectNode();
    p.put("branch", branch).put("label", label).put("url", "http://" + label + "." + app + ".localhost:8080/")
        .put("version", version).put("commit", "0123456789abcdef0123456789abcdef01234567").put("state", "running")
        .putNull("last_request_at").put("created_at", "2026-11-27T05:30:09Z").put("updated_at", "2026-11-27T05:30:09Z");
    p.set("overrides", JSON.createArrayNode());
    p.set("config", JSON.createObjectNode());
    byBranch.put(branch, p);
    return p;
  }

  /** Answers {@code method rest} (rest after /apps/APP/), or null when it is no previews path. */
  synchronized Answer answer(String method, String rest, JsonNode body) {
    if (rest.equals("preview-settings")) {
      if (method.equals("PUT")) {
        long idle = body.path("idle_seconds").asLong(-1);
        if (idle < 10 || idle > 365 * 86400) return problem(422, "the idle limit of previews must be from 10 seconds to 365 days");
        idleSeconds = idle;
      }
      return new Answer(200, JSON.createObjectNode().put("idle_seconds", idleSeconds));
    }
    if (rest.equals("previews") && method.equals("GET")) {
      ObjectNode list = JSON.createObjectNode().put("idle_seconds", idleSeconds);
      ArrayNode items = list.putArray("previews");
      byBranch.values().forEach(p -> items.add(p.deepCopy().without("config")));
      return new Answer(200, list);
    }
    if (!rest.startsWith("previews/")) return null;
    String[] parts = rest.split("/");
    ObjectNode p = byBranch.values().stream().filter(x -> x.path("label").asText().equals(parts[1])).findFirst()
        .orElseGet(() -> byBranch.get(parts[1])); // the label first, as the API
    if (p == null) return problem(404, "no preview of branch '" + parts[1] + "'");
    String what = method + " " + (parts.length > 2 ? parts[2] : "");
    switch (what) {
      case "DELETE " -> {
        byBranch.remove(p.path("branch").asText());
        return new Answer(200, JSON.createObjectNode().put("removed", p.path("branch").asText()));
      }
      case "GET config" -> {
        return new Answer(200, p.path("config"));
      }
      case "PATCH config" -> {
        ObjectNode config = (ObjectNode) p.path("config");
        body.properties().forEach(e -> {
          if (e.getValue().isNull()) config.remove(e.getKey());
          else config.set(e.getKey(), e.getValue());
        });
        p.put("version", p.path("version").asInt() + 1);
        return new Answer(200, JSON.createObjectNode().<ObjectNode>set("config", config).put("release", p.path("version").asInt()));
      }
      default -> {
        return problem(404, "no route " + what);
      }
    }
  }

  private static Answer problem(int status, String detail) {
    return new Answer(status, JSON.createObjectNode().put("type", "about:blank").put("title", "error")
        .put("status", status).put("detail", detail));
  }
}
