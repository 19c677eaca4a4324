package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ps:type}: show or set the instance size (memory and CPU) of each process type. */
@Command(
    name = "ps:type",
    mixinStandardHelpOptions = true,
    description = {
      "Set the instance size of process types, or show them without arguments.",
      "Sizes: basic (256 MB, 0.25 CPU), standard-1x (512 MB, 0.5 CPU), standard-2x (1 GB, 1 CPU) and performance-m (2 GB, 2 CPUs). "
          + "A type without a size runs with the operator's memory limit and no CPU cap."})
final class PsTypeCommand extends AppCommand {
  @Parameters(arity = "0..*", paramLabel = "TYPE=SIZE", description = "For example web=standard-2x worker=basic.")
  List<String> changes = List.of();

  @Option(names = "--json", description = "Print the API's JSON when showing the sizes.")
  boolean json;

  PsTypeCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    List<SizeArgument> wanted = changes.stream().map(SizeArgument::parse).toList();
    if (wanted.isEmpty()) {
      return show();
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    for (SizeArgument change : wanted) {
      if (body.has(change.type())) {
        throw new CliException("Process type " + change.type() + " is given twice");
      }
      body.putObject(change.type()).put("size", change.size());
    }
    PrintStream out = context.out();
    out.print("Changing process sizes on " + appName() + "... ");
    out.flush();
    try {
      context.api().patch(appPath() + "/formation", body);
    } catch (CliException e) {
      out.println("!");
      throw e;
    }
    out.println("done: " + Format.list(wanted.stream().map(w -> w.type() + " " + w.size()).toList()));
    return 0;
  }

  private int show() {
    JsonNode node = context.api().get(appPath() + "/formation/sizes");
    PrintStream out = context.out();
    if (json) {
      out.println(Json.pretty(node));
      return 0;
    }
    if (node.isEmpty()) {
      out.println("No process types on " + appName());
      return 0;
    }
    out.println(Format.header(appName() + " process sizes"));
    Table table = new Table(false, false, true, true).row("TYPE", "SIZE", "MEMORY", "CPUS");
    List<Map.Entry<String, JsonNode>> types = new ArrayList<>();
    node.properties().forEach(types::add);
    for (Map.Entry<String, JsonNode> type : types) {
      JsonNode size = type.getValue();
      table.row(type.getKey(), size.path("size").asText("?"), memory(size.path("memory_mb")), cpus(size.path("cpus")));
    }
    table.lines().forEach(out::println);
    return 0;
  }

  /** Returns {@code "512 MB"} or {@code "1 GB"}. */
  static String memory(JsonNode megabytes) {
    if (!megabytes.canConvertToLong()) {
      return "?";
    }
    long mb = megabytes.asLong();
    return mb >= 1024 && mb % 1024 == 0 ? mb / 1024 + " GB" : mb + " MB";
  }

  private static String cpus(JsonNode cpus) {
    return cpus.isNumber() ? cpus.decimalValue().stripTrailingZeros().toPlainString() : "?";
  }
}
