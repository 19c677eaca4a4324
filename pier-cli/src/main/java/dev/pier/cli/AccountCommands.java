package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code whoami} and {@code logout}: the login {@code pier login} saved. */
final class AccountCommands {
  private AccountCommands() {}

  @Command(
      name = "whoami",
      mixinStandardHelpOptions = true,
      description = {"Show the user the current token belongs to.",
          "Exits 1 with \"Not logged in\" when there is no token ($PIER_API_KEY or pier login)."})
  static final class WhoAmI implements Callable<Integer> {
    private final CliContext context;

    @picocli.CommandLine.Option(names = "--json", description = "Print the API's JSON (user and API URL).")
    boolean json;

    WhoAmI(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      JsonNode account = context.api().get("/account");
      context.out().println(json ? Json.pretty(account) : account.path("user").asText());
      return 0;
    }
  }

  @Command(
      name = "logout",
      mixinStandardHelpOptions = true,
      description = {"Remove the saved login: the credentials file and the API host's ~/.netrc entry.",
          "Other ~/.netrc entries are kept. Succeeds when not logged in too."})
  static final class Logout implements Callable<Integer> {
    private final CliContext context;

    Logout(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws IOException {
      CredentialsStore store = CredentialsStore.in(context.home());
      Optional<Credentials> saved;
      try {
        saved = store.load();
      } catch (CliException unreadable) {
        saved = Optional.empty(); // a broken file is removed all the same
      }
      boolean removedFile = Files.deleteIfExists(store.file());
      boolean removedNetrc = false;
      if (saved.isPresent()) {
        removedNetrc = Netrc.remove(context.home().resolve(".netrc"), saved.get().host());
      }
      if (!removedFile && !removedNetrc) {
        context.out().println("Not logged in: nothing to remove");
        return 0;
      }
      if (removedFile) context.out().println("Removed " + store.file());
      if (removedNetrc) {
        context.out().println("Removed the " + saved.get().host() + " entry from " + context.home().resolve(".netrc"));
      }
      context.out().println(saved.map(c -> "Logged out of " + c.api()).orElse("Logged out"));
      return 0;
    }
  }
}
