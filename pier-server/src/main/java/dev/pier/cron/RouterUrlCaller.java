package dev.pier.cron;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * Sends URL jobs through Pier's own router on loopback, with the {@code Host} of the app (or of
 * the target version, {@code vN.APP.DOMAIN}), so they take the path of every request: the
 * router's routes, traffic split, wake-up of a version at zero and access log. It adds the
 * router's per-boot cron key ({@code X-Pier-Cron-Key}); the router replaces it with {@code
 * X-Pier-Cron: true} and strips both headers from every other request, so an app can trust
 * {@code X-Pier-Cron}.
 */
public final class RouterUrlCaller implements UrlCaller {
  /** The header the router turns into {@code X-Pier-Cron: true} when its value is the router's key. */
  public static final String KEY_HEADER = "X-Pier-Cron-Key";

  private final int routerPort;
  private final String cronKey;
  private final BiFunction<String, Integer, String> hosts;
  private final Duration timeout;

  /**
   * @param hosts the host of an app, or of one of its versions when the second argument is not null
   * @param timeout how long one attempt may take
   */
  public RouterUrlCaller(int routerPort, String cronKey, BiFunction<String, Integer, String> hosts, Duration timeout) {
    this.routerPort = routerPort;
    this.cronKey = cronKey;
    this.hosts = hosts;
    this.timeout = timeout;
  }

  /** Plain HTTP/1.1 on a socket: the JDK client refuses to set {@code Host}. Redirects are not followed. */
  @Override
  public int get(String app, Integer target, String path) throws IOException {
    String host = hosts.apply(app, target);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", routerPort), (int) Math.min(timeout.toMillis(), 10_000));
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + KEY_HEADER + ": " + cronKey
          + "\r\nUser-Agent: Pier-Cron/1.0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      String status = in.readLine();
      if (status == null) throw new IOException("the router closed the connection without an answer");
      String[] parts = status.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("not an HTTP answer: " + status);
      try {
        return Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP status: " + status);
      }
    }
  }
}
