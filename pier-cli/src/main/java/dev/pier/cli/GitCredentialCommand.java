package dev.pier.cli;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pier git:credential get}: git's credential helper protocol ({@code git help
 * credential}). For a request to the API's own scheme, host and port it answers with the user
 * {@code pier} and the token the CLI would use ({@code PIER_API_TOKEN}, else the saved login);
 * for any other host, or when not logged in, it answers nothing, so git goes on to ask elsewhere.
 * {@code store} and {@code erase} are accepted and ignored: the token lives in Pier's own login.
 */
@Command(
    name = "git:credential",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Git credential helper: gives git the Pier token (configured by git:remote).")
final class GitCredentialCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(index = "0", paramLabel = "OPERATION", description = "get, store or erase (from git).")
  String operation;

  GitCredentialCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Map<String, String> request = new LinkedHashMap<>();
    for (String line = context.readLine(); line != null && !line.isEmpty(); line = context.readLine()) {
      int eq = line.indexOf('=');
      if (eq > 0) request.put(line.substring(0, eq), line.substring(eq + 1));
    }
    if (!"get".equals(operation)) return 0;
    Credentials credentials;
    try {
      credentials = Credentials.resolve(context.env(), CredentialsStore.in(context.home()));
    } catch (CliException notLoggedIn) {
      return 0;
    }
    if (!matches(URI.create(credentials.api()), request)) return 0;
    context.out().print("username=pier\npassword=" + credentials.token() + "\n\n");
    context.out().flush();
    return 0;
  }

  /** True when git asks about the API's scheme and host (with its port, when not the default). */
  static boolean matches(URI api, Map<String, String> request) {
    String host = request.getOrDefault("host", "").toLowerCase(Locale.ROOT);
    String expected = api.getHost().toLowerCase(Locale.ROOT) + (api.getPort() < 0 ? "" : ":" + api.getPort());
    return api.getScheme().equals(request.get("protocol")) && host.equals(expected);
  }
}
