package dev.pier.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-line chart of a series: each value becomes one of {@code ▁▂▃▄▅▆▇█}, scaled so the largest
 * value is {@code █}; a missing value (null) is a space. Series longer than {@code width} are
 * squeezed by taking the largest value of each run of neighbours, so spikes stay visible: 360
 * ten-second points of an hour become 60 columns of one minute each.
 */
final class Sparkline {
  private static final char[] BARS = "▁▂▃▄▅▆▇█".toCharArray();

  private Sparkline() {}

  /** Returns the chart of {@code values}, at most {@code width} characters long. */
  static String of(List<Double> values, int width) {
    List<Double> columns = squeeze(values, width);
    double max = columns.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).max().orElse(0);
    StringBuilder line = new StringBuilder();
    for (Double value : columns) {
      if (value == null) {
        line.append(' ');
      } else if (max <= 0 || value <= 0) {
        line.append(BARS[0]);
      } else {
        int index = (int) Math.round(value / max * (BARS.length - 1));
        line.append(BARS[Math.max(0, Math.min(BARS.length - 1, index))]);
      }
    }
    return line.toString();
  }

  /** Returns the largest value of the series, or null when it has none. */
  static Double max(List<Double> values) {
    return values.stream().filter(v -> v != null).max(Double::compare).orElse(null);
  }

  private static List<Double> squeeze(List<Double> values, int width) {
    if (values.size() <= width) {
      return values;
    }
    List<Double> columns = new ArrayList<>();
    for (int column = 0; column < width; column++) {
      int from = (int) ((long) column * values.size() / width);
      int to = (int) ((long) (column + 1) * values.size() / width);
      columns.add(max(values.subList(from, to)));
    }
    return columns;
  }
}
