package dev.pier.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Everything one run of {@code pier} may touch: its streams, environment, working directory, and
 * the lazily made HTTP client. Closing it releases the HTTP client, so an in-process run leaves no
 * threads behind. Not thread-safe: one context per run.
 */
final class CliContext implements AutoCloseable {
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final Path cwd;
  private final InputStream in;
  private final Clock clock;
  private final Git git;
  private BufferedReader reader;
  private HttpClient http;

  CliContext(PrintStream out, PrintStream err, Map<String, String> env, Path cwd, InputStream in) {
    this.out = out;
    this.err = err;
    this.env = Map.copyOf(env);
    this.cwd = cwd.toAbsolutePath().normalize();
    this.in = in;
    this.clock = Clock.systemUTC();
    this.git = new Git(this.env);
  }

  /** The run's standard input (the process's own {@code System.in} for the real executable). */
  InputStream in() {
    return in;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  Map<String, String> env() {
    return env;
  }

  /** Returns the value of an environment variable, or null when it is unset or blank. */
  String env(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  Path cwd() {
    return cwd;
  }

  Clock clock() {
    return clock;
  }

  Git git() {
    return git;
  }

  /** The user's home directory: {@code HOME} from the environment, else the JVM's idea of it. */
  Path home() {
    String home = env("HOME");
    return Path.of(home != null ? home : System.getProperty("user.home"));
  }

  /** Reads one line from the input, or returns null at end of input. */
  String readLine() {
    if (reader == null) {
      reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a client for the API the user is logged in to; fails when they are not. */
  ApiClient api() {
    Credentials credentials = Credentials.resolve(env, CredentialsStore.in(home()));
    return api(credentials);
  }

  /** Returns a client for the given API and token. */
  ApiClient api(Credentials credentials) {
    if (http == null) {
      http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
    }
    return new ApiClient(credentials, http);
  }

  /** Returns the app a command targets: see {@link AppResolver}. */
  String app(String explicit) {
    return new AppResolver(git).resolve(explicit, cwd);
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
  }
}
