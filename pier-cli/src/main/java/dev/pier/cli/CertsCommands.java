package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code certs:ca}: the HTTPS certificates the router presents (#12). */
final class CertsCommands {
  private CertsCommands() {}

  @Command(
      name = "certs:ca",
      mixinStandardHelpOptions = true,
      description = {"Print the root certificate of Pier's own CA (PEM), which signs the apps' HTTPS certificates.",
          "Trust it to get HTTPS without warnings: curl --cacert FILE, or add it to your system or"
              + " browser trust store (for example: pier certs:ca > pier-ca.pem)."})
  static final class Ca implements Callable<Integer> {
    private final CliContext context;

    Ca(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      JsonNode ca = context.api().get("/certs/ca");
      context.out().print(ca.path("pem").asText());
      return 0;
    }
  }
}
