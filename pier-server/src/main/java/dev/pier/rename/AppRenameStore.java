package dev.pier.rename;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Moves an app's rows to a new name in one transaction. Every column that references {@code
 * apps(name)} is found from the schema itself (so tables added later follow without a change
 * here), as is every other column named {@code app}:
 *
 * <pre>
 *   copy the apps row under the new name (uid parked) -> point every app column at it
 *     -> rewrite release slug paths -> delete the old row -> give the new row its uid
 * </pre>
 */
public final class AppRenameStore {
  private final Database db;

  public AppRenameStore(Database db) {
    this.db = db;
  }

  /**
   * Renames {@code from} to {@code to}; release slugs under {@code oldSlugs} are pointed into
   * {@code newSlugs}. Returns false, changing nothing, when {@code to} is taken or {@code from} is gone.
   */
  public boolean rename(AppName from, AppName to, Path oldSlugs, Path newSlugs) {
    return db.transaction(c -> {
      if (exists(c, to) || !exists(c, from)) return false;
      List<String> columns = appColumns(c);
      int uid;
      try (PreparedStatement ps = c.prepareStatement("SELECT uid FROM apps WHERE name = ?")) {
        ps.setString(1, from.value());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          uid = rs.getInt(1);
        }
      }
      StringBuilder select = new StringBuilder();
      for (String column : columns) {
        if (select.length() > 0) select.append(", ");
        select.append(column.equals("NAME") ? "?" : column.equals("UID") ? "-UID" : column);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO apps (" + String.join(", ", columns)
          + ") SELECT " + select + " FROM apps WHERE name = ?")) {
        ps.setString(1, to.value());
        ps.setString(2, from.value());
        ps.executeUpdate();
      }
      for (String[] column : referencingColumns(c)) {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE " + column[0] + " SET " + column[1] + " = ? WHERE " + column[1] + " = ?")) {
          ps.setString(1, to.value());
          ps.setString(2, from.value());
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE releases SET slug = CONCAT(?, SUBSTRING(slug, ?)) WHERE app = ? AND slug LIKE ? ESCAPE '\\'")) {
        String oldPrefix = oldSlugs.toString() + "/";
        ps.setString(1, newSlugs.toString() + "/");
        ps.setInt(2, oldPrefix.length() + 1);
        ps.setString(3, to.value());
        ps.setString(4, oldPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM apps WHERE name = ?")) {
        ps.setString(1, from.value());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE apps SET uid = ? WHERE name = ?")) {
        ps.setInt(1, uid);
        ps.setString(2, to.value());
        ps.executeUpdate();
      }
      return true;
    });
  }

  private static boolean exists(Connection c, AppName name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM apps WHERE name = ?")) {
      ps.setString(1, name.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static List<String> appColumns(Connection c) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM apps WHERE 1 = 0")) {
      ResultSetMetaData meta = rs.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) columns.add(meta.getColumnName(i).toUpperCase(Locale.ROOT));
    }
    return columns;
  }

  /** {table, column} of every foreign key to apps(name), and of every other column named app. */
  static List<String[]> referencingColumns(Connection c) throws SQLException {
    Set<String> seen = new LinkedHashSet<>();
    List<String[]> result = new ArrayList<>();
    DatabaseMetaData meta = c.getMetaData();
    try (ResultSet rs = meta.getExportedKeys(null, "PUBLIC", "APPS")) {
      while (rs.next()) {
        String table = rs.getString("FKTABLE_NAME");
        String column = rs.getString("FKCOLUMN_NAME");
        if (seen.add(table + "." + column)) result.add(new String[] {table, column});
      }
    }
    try (ResultSet rs = meta.getColumns(null, "PUBLIC", "%", "APP")) {
      while (rs.next()) {
        String table = rs.getString("TABLE_NAME");
        if (table.equals("APPS")) continue;
        if (seen.add(table + ".APP")) result.add(new String[] {table, "APP"});
      }
    }
    return result;
  }
}
