package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code certs}, {@code certs:add}, {@code certs:remove}, {@code certs:ca}: the HTTPS certificates
 * the router presents (#12).
 */
final class CertsCommands {
  private CertsCommands() {}

  @Command(
      name = "certs",
      mixinStandardHelpOptions = true,
      description = {"List the app's HTTPS certificates: names, issuer, expiry and state.",
          "The certificates added with certs:add come first (with their ID); the last line is the"
              + " automatic one from Pier's own CA (issuer pier-ca). STATE is EXPIRED for an expired"
              + " certificate (the router presents Pier's CA's instead) and expiring for one that"
              + " expires within 30 days."})
  static final class List extends AppCommand {
    @picocli.CommandLine.Option(names = "--json", description = "Print JSON.")
    boolean json;

    List(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode certs = context.api().get(appPath() + "/certs");
      if (json) {
        context.out().println(Json.pretty(certs));
        return 0;
      }
      Table table = new Table(false, false, false, false, false).row("ID", "NAMES", "ISSUER", "EXPIRES", "STATE");
      for (JsonNode c : certs) {
        java.util.List<String> names = new java.util.ArrayList<>();
        c.path("names").forEach(n -> names.add(n.asText()));
        String state = c.path("state").asText("");
        table.row(c.path("id").isNull() ? "-" : c.path("id").asText(), String.join(", ", names),
            c.path("issuer").asText(), c.path("expires").asText(),
            state.equals("expired") ? "EXPIRED" : state.equals("expiring") ? "expiring (< 30 days)" : state);
      }
      table.lines().forEach(context.out()::println);
      return 0;
    }
  }

  @Command(
      name = "certs:add",
      mixinStandardHelpOptions = true,
      description = {"Add an HTTPS certificate to the app: the router presents it for the names it lists.",
          "CERT is a PEM file with the server certificate first, then each issuer; KEY is its"
              + " private key (PEM). Both are checked: the chain order, the key, the validity dates."})
  static final class Add extends AppCommand {
    @picocli.CommandLine.Parameters(index = "0", paramLabel = "CERT", description = "PEM certificate chain, leaf first.")
    java.nio.file.Path cert;

    @picocli.CommandLine.Parameters(index = "1", paramLabel = "KEY", description = "PEM private key of the certificate.")
    java.nio.file.Path key;

    Add(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      com.fasterxml.jackson.databind.node.ObjectNode body = Json.MAPPER.createObjectNode();
      body.put("certificate", read(cert));
      body.put("key", read(key));
      JsonNode added = context.api().post(appPath() + "/certs", body);
      java.util.List<String> names = new java.util.ArrayList<>();
      added.path("names").forEach(n -> names.add(n.asText()));
      context.out().println("Adding certificate " + added.path("id").asText() + " to " + appName()
          + "... done: " + String.join(", ", names) + " (expires " + added.path("expires").asText() + ")");
      return 0;
    }

    private String read(java.nio.file.Path file) {
      try {
        return java.nio.file.Files.readString(context.cwd().resolve(file));
      } catch (java.io.IOException e) {
        throw new CliException("Cannot read " + file + ": " + e.getMessage());
      }
    }
  }

  @Command(
      name = "certs:remove",
      mixinStandardHelpOptions = true,
      description = {"Remove one of the app's added HTTPS certificates by its ID (see pier certs).",
          "Its names get Pier's own certificates again (or the default one) from the next connection."})
  static final class Remove extends AppCommand {
    @picocli.CommandLine.Parameters(index = "0", paramLabel = "ID", description = "Certificate ID from pier certs.")
    long id;

    Remove(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      context.api().delete(appPath() + "/certs/" + id);
      context.out().println("Removing certificate " + id + " from " + appName() + "... done");
      return 0;
    }
  }

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
