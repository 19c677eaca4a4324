import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The reference for cold-start.sh: how long a command (such as {@code node server.js}) takes on
 * this machine from spawn to the first answered request, without Pier. Each round starts the
 * command in DIR with PORT set, tries a GET on 127.0.0.1:PORT every millisecond until one is
 * answered with a status line, then kills the command and everything it started.
 *
 * <p>Prints one line: the milliseconds of each round, spawn to the full first answer.
 *
 * <p>Usage: java BareStart.java ROUNDS PORT DIR COMMAND...
 */
public class BareStart {
  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int port = Integer.parseInt(args[1]);
    Path dir = Path.of(args[2]);
    List<String> command = List.of(args).subList(3, args.length);
    StringJoiner out = new StringJoiner(" ");
    for (int i = 0; i < rounds; i++) {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("PORT", Integer.toString(port));
      long t0 = System.nanoTime();
      Process p = pb.start();
      try {
        while (!answered(port)) {
          if (!p.isAlive()) throw new IllegalStateException(command + " exited with " + p.exitValue());
          if (System.nanoTime() - t0 > 30_000_000_000L) throw new IllegalStateException(command + " did not answer in 30 s");
          Thread.sleep(1);
        }
        out.add(Long.toString((System.nanoTime() - t0) / 1_000_000));
      } finally {
        stop(p);
      }
    }
    System.out.println(out);
  }

  /** One GET / with Connection: close; true when a whole answer came back. */
  static boolean answered(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(5000);
      OutputStream o = s.getOutputStream();
      o.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      o.flush();
      InputStream in = s.getInputStream();
      byte[] all = in.readAllBytes();
      return new String(all, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 ");
    } catch (IOException e) {
      return false;
    }
  }

  static void stop(Process p) throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    all.add(p.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : all) h.onExit().join();
  }
}
