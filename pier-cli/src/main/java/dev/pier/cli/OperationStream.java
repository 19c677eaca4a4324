package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Follows one streamed operation of the API (deploy, rollback, traffic change): NDJSON lines of
 * {@code {"type":"output","line":"..."}}, printed as they arrive, ending with one
 * {@code {"type":"result","status":"succeeded"|"failed",...}}. Lines that are not JSON objects are
 * printed as they are.
 */
final class OperationStream {
  private OperationStream() {}

  /**
   * Starts the operation by calling {@code request} with a line sink, prints its output, and
   * returns its succeeded result event.
   *
   * @param failure what failed, for the user: {@code "Build failed"} gives
   *     {@code "Build failed: npm ci failed (exit 1)"}
   * @throws CliException when the result is not {@code succeeded}, or the stream ends without one
   */
  static JsonNode follow(PrintStream out, String failure, Consumer<Consumer<String>> request) {
    AtomicReference<JsonNode> result = new AtomicReference<>();
    request.accept(line -> {
      JsonNode event = Json.parseOrNull(line);
      if (event == null || !event.isObject()) {
        out.println(line);
      } else if ("output".equals(event.path("type").asText())) {
        out.println(event.path("line").asText(""));
      } else if ("result".equals(event.path("type").asText())) {
        result.set(event);
      }
      out.flush();
    });
    JsonNode event = result.get();
    if (event == null) {
      throw new CliException(failure + ": the connection closed before Pier reported a result");
    }
    if (!"succeeded".equals(event.path("status").asText())) {
      throw new CliException(failure + ": " + event.path("error").asText("unknown error"));
    }
    return event;
  }
}
