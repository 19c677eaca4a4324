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
      description = {"List the app's HTTPS certificates: names, issuer, expiry, source and state.",
          "The certificates added with certs:add come first (with their ID, source uploaded), then"
              + " those ordered over ACME (source acme, see certs:auto), with the reason of a failed"
              + " order below the table; the last line is the automatic one from Pier's own CA"
              + " (source pier-ca). STATE is EXPIRED for an expired certificate (the router presents"
              + " Pier's CA's instead), expiring for one that expires within 30 days, and for an"
              + " automatic one its order's state (issued, failed...)."})
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
      Table table = new Table(false, false, false, false, false, false)
          .row("ID", "NAMES", "ISSUER", "EXPIRES", "SOURCE", "STATE");
      java.util.List<String> reasons = new java.util.ArrayList<>();
      for (JsonNode c : certs) {
        java.util.List<String> names = new java.util.ArrayList<>();
        c.path("names").forEach(n -> names.add(n.asText()));
        String state = c.path("state").asText("");
        table.row(c.path("id").isNull() ? "-" : c.path("id").asText(), String.join(", ", names),
            text(c, "issuer"), text(c, "expires"), text(c, "source"),
            state.equals("expired") ? "EXPIRED" : state.equals("expiring") ? "expiring (< 30 days)"
                : !text(c, "status").equals("-") ? text(c, "status") : state.isEmpty() ? "-" : state);
        if (!c.path("reason").isMissingNode() && !c.path("reason").isNull()) {
          reasons.add(String.join(", ", names) + ": " + c.path("reason").asText()
              + (c.path("next_attempt").isTextual() ? " (next try " + c.path("next_attempt").asText() + ")" : ""));
        }
      }
      table.lines().forEach(context.out()::println);
      reasons.forEach(context.out()::println);
      return 0;
    }
  }

  private static String text(JsonNode c, String field) {
    JsonNode v = c.path(field);
    return v.isMissingNode() || v.isNull() || v.asText().isEmpty() ? "-" : v.asText();
  }

  /** Prints the app's automatic-certificate state: on or off, then each custom domain's. */
  static void printAuto(CliContext context, JsonNode status) {
    String app = status.path("app").asText();
    if (!status.path("available").asBoolean(true)) {
      context.out().println("Automatic certificates are not available: " + status.path("reason").asText());
    }
    context.out().println("Automatic certificates for " + app + " are "
        + (status.path("enabled").asBoolean() ? "on." : "off."));
    if (status.path("domains").isEmpty()) {
      if (status.path("enabled").asBoolean()) {
        context.out().println("No custom domains yet: add one with pier domains:add DOMAIN -a " + app + ".");
      }
      return;
    }
    Table table = new Table(false, false, false, false).row("DOMAIN", "STATUS", "EXPIRES", "REASON");
    for (JsonNode d : status.path("domains")) {
      table.row(d.path("names").path(0).asText(), text(d, "status"), text(d, "expires"), text(d, "reason"));
    }
    table.lines().forEach(context.out()::println);
  }

  @Command(
      name = "certs:auto",
      mixinStandardHelpOptions = true,
      description = {"Show whether the app gets automatic certificates (ACME) and each custom domain's state.",
          "States: pending (not ordered yet), ordering, issued, failed (with the reason; retried"
              + " with backoff), expired, unsupported (wildcard domains)."})
  static final class Auto extends AppCommand {
    Auto(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      printAuto(context, context.api().get(appPath() + "/certs/auto"));
      return 0;
    }
  }

  @Command(
      name = "certs:auto:enable",
      mixinStandardHelpOptions = true,
      description = {"Turn on automatic certificates: Pier orders one for each of the app's custom domains from the ACME CA.",
          "The CA (Let's Encrypt, for example) checks each domain with an HTTP-01 challenge that"
              + " the router answers, so the domain must point at this server on port 80. Pier"
              + " renews each certificate when 30 days remain; see pier certs:auto."})
  static final class AutoEnable extends AppCommand {
    AutoEnable(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode status = context.api().post(appPath() + "/certs/auto", Json.MAPPER.createObjectNode());
      context.out().println("Enabling automatic certificates for " + appName() + "... done");
      printAuto(context, status);
      return 0;
    }
  }

  @Command(
      name = "certs:auto:disable",
      mixinStandardHelpOptions = true,
      description = {"Turn off automatic certificates: the app's ACME certificates stop being served at once.",
          "Its custom domains get Pier's own certificates again (or the ones added with certs:add)."})
  static final class AutoDisable extends AppCommand {
    AutoDisable(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode status = context.api().delete(appPath() + "/certs/auto");
      context.out().println("Disabling automatic certificates for " + appName() + "... done");
      printAuto(context, status);
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
