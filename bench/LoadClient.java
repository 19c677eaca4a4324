import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load through the Pier router for the rollout benchmark: CLIENTS keep-alive clients send GET /
 * with Host: HOST to 127.0.0.1:PORT until STOPFILE exists (or MAXSECONDS pass). A failure is a
 * connection error or a 5xx. Prints one summary line:
 * requests failed first_ms_per_version... last_ms_per_version... (ms since the epoch).
 *
 * Usage: java LoadClient.java PORT HOST CLIENTS STOPFILE MAXSECONDS
 */
public class LoadClient {
  static final Pattern VERSION = Pattern.compile("\"release\":\"v(\\d+)\"");

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String host = args[1];
    int clients = Integer.parseInt(args[2]);
    Path stop = Path.of(args[3]);
    long deadline = System.currentTimeMillis() + Long.parseLong(args[4]) * 1000;
    AtomicLong requests = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    ConcurrentHashMap<String, long[]> seen = new ConcurrentHashMap<>(); // version -> {first, last, count}
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      threads.add(Thread.ofPlatform().start(() -> {
        Socket socket = null;
        while (!Files.exists(stop) && System.currentTimeMillis() < deadline) {
          try {
            if (socket == null) {
              socket = new Socket("127.0.0.1", port);
              socket.setSoTimeout(30_000);
            }
            Response r = get(socket, host);
            requests.incrementAndGet();
            if (r.close()) {
              socket.close();
              socket = null;
            }
            if (r.status() >= 500) {
              failures.incrementAndGet();
              continue;
            }
            String body = r.body();
            Matcher m = VERSION.matcher(body);
            String v = m.find() ? "v" + m.group(1) : "other";
            long now = System.currentTimeMillis();
            seen.compute(v, (k, old) -> old == null ? new long[] {now, now, 1} : new long[] {old[0], now, old[2] + 1});
          } catch (IOException e) {
            requests.incrementAndGet();
            failures.incrementAndGet();
            try {
              if (socket != null) socket.close();
            } catch (IOException ignored) {
              // closing a broken socket
            }
            socket = null;
          }
        }
        try {
          if (socket != null) socket.close();
        } catch (IOException ignored) {
          // done
        }
      }));
    }
    for (Thread t : threads) t.join();
    StringBuilder out = new StringBuilder(requests.get() + " " + failures.get());
    seen.forEach((v, s) -> out.append(" ").append(v).append(":").append(s[0]).append(":").append(s[1]).append(":").append(s[2]));
    System.out.println(out);
  }

  record Response(int status, String body, boolean close) {}

  /** One keep-alive request. */
  static Response get(Socket socket, String host) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = new BufferedInputStream(socket.getInputStream());
    String status = line(in);
    if (status == null) throw new IOException("connection closed");
    int code = Integer.parseInt(status.split(" ")[1]);
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      String lower = h.toLowerCase();
      if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
      if (lower.startsWith("connection:") && lower.contains("close")) close = true;
    }
    StringBuilder body = new StringBuilder();
    if (chunked) {
      while (true) {
        int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
        if (size == 0) {
          line(in);
          break;
        }
        body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
        line(in);
      }
    } else if (length >= 0) {
      body.append(new String(in.readNBytes((int) length), StandardCharsets.UTF_8));
    }
    return new Response(code, body.toString(), close);
  }

  static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') return sb.toString().replace("\r", "");
      sb.append((char) c);
    }
    return sb.length() == 0 ? null : sb.toString();
  }
}
