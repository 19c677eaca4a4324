package dev.pier.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pier login}: checks a token against the API, then saves it for later commands
 * ({@code ~/.config/pier/credentials.json}) and for {@code git push} ({@code ~/.netrc}).
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = "Log in to a Pier API with a token; also lets `git push` authenticate.")
final class LoginCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(names = "--api", paramLabel = "URL",
      description = "API URL (default: $PIER_API_URL or " + Credentials.DEFAULT_API + ").")
  String api;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "API token (default: read from standard input after a prompt).")
  String token;

  LoginCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    String url = Credentials.normalizeApi(
        api != null ? api : context.env(Credentials.API_ENV) != null
            ? context.env(Credentials.API_ENV) : Credentials.DEFAULT_API);
    String secret = token != null ? token : prompt();
    if (secret == null || secret.isBlank()) {
      throw new CliException("No token given");
    }
    Credentials credentials = new Credentials(url, secret.strip());
    verify(credentials);
    CredentialsStore.in(context.home()).save(credentials);
    Netrc.save(context.home().resolve(".netrc"), credentials.host(), credentials.token());
    context.out().println("Logged in to " + credentials.api());
    return 0;
  }

  private String prompt() {
    context.err().print("Token: ");
    context.err().flush();
    return context.readLine();
  }

  private void verify(Credentials credentials) {
    try {
      context.api(credentials).get("/apps");
    } catch (ApiException e) {
      if (e.status() == 401) {
        throw new CliException("Invalid token");
      }
      throw e;
    }
  }
}
