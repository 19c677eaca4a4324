package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pier run} and {@code pier run:detached}: one-off processes of an app's current release. */
final class RunCommands {
  private RunCommands() {}

  /** What both commands send: the command line, its size and time limit. */
  abstract static class OneOffCommand extends AppCommand {
    @Option(names = {"-s", "--size"}, paramLabel = "SIZE",
        description = "Instance size, as ps:type shows them (default: the platform's default size).")
    String size;

    @Option(names = "--time-limit", paramLabel = "DURATION",
        description = "Stop it after this long, e.g. 30m or 2h (default 24h, at most 168h).")
    String timeLimit;

    @Parameters(arity = "1..*", paramLabel = "COMMAND",
        description = "The command line, run by /bin/sh in /app. Put -- before it when it has options of its own.")
    List<String> command;

    OneOffCommand(CliContext context) {
      super(context);
    }

    /**
     * The command line /bin/sh runs: one argument as it is ({@code pier run "make; exit 3"} is a
     * shell line), several with each quoted where the shell would split or expand it, so that
     * {@code pier run sh -c 'sleep 1; echo hi'} runs what the local shell passed.
     */
    String commandLine() {
      if (command.size() == 1) return command.getFirst();
      return command.stream().map(OneOffCommand::quoted).collect(java.util.stream.Collectors.joining(" "));
    }

    static String quoted(String arg) {
      if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) return arg;
      return "'" + arg.replace("'", "'\\''") + "'";
    }

    ObjectNode body() {
      ObjectNode body = Json.MAPPER.createObjectNode().put("command", commandLine());
      if (size != null) body.put("size", size);
      if (timeLimit != null) body.put("time_limit_seconds", DurationArgument.seconds("--time-limit", timeLimit));
      return body;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
          "Run a command in a one-off process of the app's current release, attached to your terminal.",
          "It has the release's slug, config vars and sandbox; stdin, stdout and stderr are yours, on a",
          "terminal when yours is one. Exits with the command's exit code. `pier run bash` gives a shell in /app.",
          "Example: pier run -a shop -- node scripts/migrate.js --dry-run"})
  static final class Run extends OneOffCommand {
    @Option(names = "--no-tty", description = "Plain pipes even when run on a terminal.")
    boolean noTty;

    Run(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() throws Exception {
      int[] size = noTty ? null : LocalTerminal.detect(context);
      boolean tty = size != null;
      ObjectNode body = body().put("attach", true).put("tty", tty);
      if (tty) body.put("columns", size[0]).put("rows", size[1]);
      JsonNode run = context.api().post(appPath() + "/runs", body);
      String name = run.path("name").asText();
      PrintStream err = context.err();
      err.println("Running `" + commandLine() + "` on " + appName() + "... up, " + name);
      err.flush();
      Session session = new Session(context.out());
      // Raw before the first byte arrives: the remote terminal already turned \n into \r\n.
      LocalTerminal terminal = tty ? LocalTerminal.raw() : null;
      try {
        session.socket = context.api().webSocket(run.path("attach_url").asText(), session);
        if (tty) {
          LocalTerminal.onResize(() -> {
            int[] now = LocalTerminal.size();
            session.sendText("{\"type\":\"resize\",\"columns\":" + now[0] + ",\"rows\":" + now[1] + "}");
          });
        }
        Thread input = Thread.ofPlatform().daemon().name("pier-run-stdin")
            .start(() -> session.pumpInput(context.in(), !tty));
        Integer status = session.exit.join();
        input.interrupt();
        if (status == null) {
          throw new CliException("Connection to " + name + " closed before it exited: it was stopped");
        }
        return status;
      } finally {
        if (terminal != null) terminal.close();
      }
    }
  }

  @Command(
      name = "run:detached",
      mixinStandardHelpOptions = true,
      description = {
          "Run a command in a one-off process of the app's current release, in the background.",
          "Its output goes to the app's logs as run.N (pier logs --ps run.N)."})
  static final class Detached extends OneOffCommand {
    Detached(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode run = context.api().post(appPath() + "/runs", body().put("attach", false));
      String name = run.path("name").asText();
      PrintStream out = context.out();
      out.println("Running `" + commandLine() + "` on " + appName() + "... up, " + name);
      out.println("Run `pier logs -a " + appName() + " --ps " + name + "` to see its output.");
      return 0;
    }
  }

  /**
   * The client end of the attach WebSocket: output bytes to {@code out}, the exit status from the
   * server's {@code {"type":"exit"}} message; sends are serialized (the JDK allows one at a time).
   */
  static final class Session implements WebSocket.Listener {
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final PrintStream out;
    private final StringBuilder text = new StringBuilder();
    private volatile Integer status;
    volatile WebSocket socket;

    Session(PrintStream out) {
      this.out = out;
    }

    /** Sends stdin as binary frames; at its end (pipes only) tells the server, which closes the command's stdin. */
    void pumpInput(InputStream in, boolean sendEof) {
      byte[] buf = new byte[16 * 1024];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (n == 0) continue;
          sendBinary(ByteBuffer.wrap(java.util.Arrays.copyOf(buf, n)));
        }
        if (sendEof) sendText("{\"type\":\"eof\"}");
      } catch (IOException | RuntimeException e) {
        // The session ended (or stdin failed): the exit status, or its absence, says the rest.
      }
    }

    synchronized void sendBinary(ByteBuffer bytes) {
      if (exit.isDone()) return;
      socket.sendBinary(bytes, true).join();
    }

    synchronized void sendText(String message) {
      if (exit.isDone()) return;
      try {
        socket.sendText(message, true).join();
      } catch (RuntimeException e) {
        // Closed meanwhile.
      }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      out.write(bytes, 0, bytes.length);
      out.flush();
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonNode message = Json.parseOrNull(text.toString());
        text.setLength(0);
        if (message != null && "exit".equals(message.path("type").asText()) && message.path("status").isInt()) {
          status = message.path("status").asInt();
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      exit.complete(status);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      exit.complete(status);
    }
  }
}
