package dev.pier.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Text columns separated by two spaces: text columns aligned left, number columns aligned right,
 * no line ending in a space.
 */
final class Table {
  private final boolean[] numeric;
  private final List<String[]> rows = new ArrayList<>();

  /** A table whose column {@code i} is right-aligned when {@code numeric[i]} is true. */
  Table(boolean... numeric) {
    this.numeric = numeric.clone();
  }

  /** Adds a row with one cell per column. */
  Table row(String... cells) {
    if (cells.length != numeric.length) {
      throw new IllegalArgumentException("expected " + numeric.length + " cells, got " + cells.length);
    }
    rows.add(cells.clone());
    return this;
  }

  /** Returns the aligned lines, one per row. */
  List<String> lines() {
    int[] widths = new int[numeric.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String padding = " ".repeat(widths[i] - row[i].length());
        line.append(i == 0 ? "" : "  ").append(numeric[i] ? padding + row[i] : row[i] + padding);
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }
}
