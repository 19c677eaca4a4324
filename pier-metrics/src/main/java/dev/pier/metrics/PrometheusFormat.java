package dev.pier.metrics;

import java.util.regex.Pattern;

/**
 * Writes the Prometheus text exposition format 0.0.4: a {@code # HELP} and a {@code # TYPE} line
 * per family, then its samples, label values escaped (backslash, double quote, newline).
 */
final class PrometheusFormat {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private final StringBuilder out = new StringBuilder(4096);

  static boolean isValidName(String name) {
    return name != null && METRIC_NAME.matcher(name).matches();
  }

  PrometheusFormat family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ');
    escapeHelp(help);
    out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** Writes one sample; {@code labels} alternate name, value. */
  PrometheusFormat sample(String name, double value, String... labels) {
    out.append(name);
    if (labels.length > 0) {
      out.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (i > 0) out.append(',');
        out.append(labels[i]).append("=\"");
        escapeLabelValue(labels[i + 1]);
        out.append('"');
      }
      out.append('}');
    }
    out.append(' ').append(number(value)).append('\n');
    return this;
  }

  static String number(double value) {
    if (Double.isNaN(value)) return "NaN";
    if (Double.isInfinite(value)) return value > 0 ? "+Inf" : "-Inf";
    if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
    return Double.toString(value);
  }

  private void escapeLabelValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  private void escapeHelp(String help) {
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
