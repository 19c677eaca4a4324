package dev.pier.drains;

import dev.pier.model.LogLine;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.UUID;

/**
 * POSTs batches the way Heroku's logplex does to HTTPS drains: the body is octet-counted RFC 5424
 * frames ({@link SyslogFrames}), with headers
 *
 * <ul>
 *   <li>{@code Content-Type: application/logplex-1};
 *   <li>{@code Logplex-Msg-Count}: how many frames the body holds;
 *   <li>{@code Logplex-Frame-Id}: an id per batch that stays the same across retries, so a
 *       receiver can discard a batch it already has;
 *   <li>{@code X-Pier-Drain-App}: the app;
 *   <li>{@code Authorization: Basic ...} when the URL carries user info.
 * </ul>
 *
 * <p>Any 2xx answer is success; another status, a refused connection or a timeout (the drain's
 * {@code connectTimeout}, for connecting and again for the whole response) is a failed attempt.
 * Redirects are not followed. Before each request the host is resolved and checked against the
 * allowed {@link DrainDestinations}; the client resolves it again to connect, so a name whose
 * answers change within the JVM's DNS cache time could still slip through (a small window, where
 * syslog connects to the checked address itself).
 */
final class HttpTransport implements Transport {
  static final String CONTENT_TYPE = "application/logplex-1";
  /** Attempts per batch: the first plus two retries. */
  static final int MAX_ATTEMPTS = 3;

  private final String app;
  private final DrainUrl url;
  private final DrainOptions options;
  private final URI target;
  private final HttpClient client;
  private List<LogLine> lastBatch;
  private String frameId;
  private boolean lastSucceeded;

  HttpTransport(String app, DrainUrl url, DrainOptions options) {
    this.app = app;
    this.url = url;
    this.options = options;
    this.target = withoutUserInfo(url);
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(options.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public void send(List<LogLine> batch) throws IOException, InterruptedException {
    if (batch != lastBatch) {
      lastBatch = batch;
      frameId = UUID.randomUUID().toString();
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(target)
        .timeout(options.connectTimeout())
        .header("Content-Type", CONTENT_TYPE)
        .header("Logplex-Msg-Count", Integer.toString(batch.size()))
        .header("Logplex-Frame-Id", frameId)
        .header("X-Pier-Drain-App", app)
        .header("User-Agent", "pier-drains")
        .POST(HttpRequest.BodyPublishers.ofByteArray(SyslogFrames.frames(batch)));
    url.basicAuthorization().ifPresent(auth -> request.header("Authorization", auth));
    lastSucceeded = false;
    options.destinations().check(url); // the name may resolve elsewhere than when the drain was added
    HttpResponse<Void> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (HttpTimeoutException e) {
      throw new IOException("POST to " + url.host() + ":" + url.port() + " timed out after "
          + options.connectTimeout().toMillis() + " ms");
    } catch (ConnectException e) {
      // HttpClient's ConnectException often has no message: refused or unreachable.
      String why = e.getMessage() == null ? "connection refused" : e.getMessage();
      throw new IOException("cannot connect to " + url.host() + ":" + url.port() + ": " + why);
    } catch (IOException e) {
      throw new IOException("POST to " + url.host() + ":" + url.port() + " failed: "
          + SyslogTcpTransport.describe(e));
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException("destination answered HTTP " + response.statusCode());
    }
    lastSucceeded = true;
  }

  @Override
  public boolean connected() {
    return lastSucceeded;
  }

  @Override
  public int maxBatch() {
    return options.httpBatchSize();
  }

  @Override
  public long maxDelayNanos() {
    return options.httpBatchMaxDelay().toNanos();
  }

  @Override
  public int maxAttempts() {
    return MAX_ATTEMPTS;
  }

  @Override
  public void close() {
    client.shutdownNow();
  }

  /** The request URI; credentials go in the Authorization header, never in the request line. */
  private static URI withoutUserInfo(DrainUrl url) {
    URI u = url.uri();
    String port = u.getPort() == -1 ? "" : ":" + u.getPort();
    return URI.create(url.scheme() + "://" + url.host() + port + url.path());
  }
}
