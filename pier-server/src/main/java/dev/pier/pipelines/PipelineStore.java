package dev.pier.pipelines;

import dev.pier.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persistence of pipelines, their stages and the apps in them. */
public final class PipelineStore {
  private final Database db;

  public PipelineStore(Database db) {
    this.db = db;
  }

  /**
   * Stores a new pipeline; returns false (storing nothing) when the name is taken. The caller has
   * checked the apps; an app already in a pipeline fails on the primary key.
   */
  public boolean insert(Pipeline pipeline) {
    return db.transaction(c -> {
      if (find(c, pipeline.name()).isPresent()) return false;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO pipelines (name, created_at) VALUES (?, ?)")) {
        ps.setString(1, pipeline.name());
        ps.setTimestamp(2, Timestamp.from(pipeline.createdAt()));
        ps.executeUpdate();
      }
      try (PreparedStatement stage = c.prepareStatement(
              "INSERT INTO pipeline_stages (pipeline, position, name) VALUES (?, ?, ?)");
          PreparedStatement app = c.prepareStatement(
              "INSERT INTO pipeline_apps (app, pipeline, position) VALUES (?, ?, ?)")) {
        for (int i = 0; i < pipeline.stages().size(); i++) {
          Pipeline.Stage s = pipeline.stages().get(i);
          stage.setString(1, pipeline.name());
          stage.setInt(2, i);
          stage.setString(3, s.name());
          stage.executeUpdate();
          for (String name : s.apps()) {
            app.setString(1, name);
            app.setString(2, pipeline.name());
            app.setInt(3, i);
            app.executeUpdate();
          }
        }
      }
      return true;
    });
  }

  public Optional<Pipeline> find(String name) {
    return db.query(c -> find(c, name));
  }

  /** The pipeline {@code app} is in. */
  public Optional<Pipeline> ofApp(String app) {
    return db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT pipeline FROM pipeline_apps WHERE app = ?")) {
        ps.setString(1, app);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? find(c, rs.getString(1)) : Optional.<Pipeline>empty();
        }
      }
    });
  }

  /** Every pipeline, by name. */
  public List<Pipeline> all() {
    return db.query(c -> {
      List<String> names = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT name FROM pipelines ORDER BY name")) {
        while (rs.next()) names.add(rs.getString(1));
      }
      List<Pipeline> all = new ArrayList<>();
      for (String name : names) find(c, name).ifPresent(all::add);
      return all;
    });
  }

  /** Deletes the pipeline (its apps stay); false when there was none. */
  public boolean delete(String name) {
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM pipelines WHERE name = ?")) {
        ps.setString(1, name);
        return ps.executeUpdate() > 0;
      }
    });
  }

  private static Optional<Pipeline> find(Connection c, String name) throws SQLException {
    Instant created;
    try (PreparedStatement ps = c.prepareStatement("SELECT created_at FROM pipelines WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        created = rs.getTimestamp(1).toInstant();
      }
    }
    Map<Integer, String> stageNames = new LinkedHashMap<>();
    Map<Integer, List<String>> apps = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT position, name FROM pipeline_stages WHERE pipeline = ? ORDER BY position")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stageNames.put(rs.getInt(1), rs.getString(2));
          apps.put(rs.getInt(1), new ArrayList<>());
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT position, app FROM pipeline_apps WHERE pipeline = ? ORDER BY app")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) apps.get(rs.getInt(1)).add(rs.getString(2));
      }
    }
    List<Pipeline.Stage> stages = new ArrayList<>();
    stageNames.forEach((position, stage) -> stages.add(new Pipeline.Stage(stage, apps.get(position))));
    return Optional.of(new Pipeline(name, created, stages));
  }
}
