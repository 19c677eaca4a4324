package dev.pier.api;

import dev.pier.doctor.Doctor;
import dev.pier.doctor.Finding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /doctor}: what the consistency check repaired or found at the last start, and what
 * it finds now (report only). {@code ok} is false while a problem needs attention.
 */
public final class DoctorRoutes {
  /** The wire form of a finding. */
  record FindingView(String app, String kind, String message) {}

  private final Doctor doctor;
  private final List<Finding> atStart;

  public DoctorRoutes(Doctor doctor, List<Finding> atStart) {
    this.doctor = doctor;
    this.atStart = List.copyOf(atStart);
  }

  public void register(ApiServlet api) {
    api.on("GET", "/doctor/?", ex -> {
      List<Finding> now = doctor.check(Doctor.Mode.REPORT);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("ok", now.stream().noneMatch(f -> f.kind() == Finding.Kind.PROBLEM));
      body.put("at_start", views(atStart));
      body.put("now", views(now));
      ex.json(200, body);
    });
  }

  private static List<FindingView> views(List<Finding> findings) {
    return findings.stream().map(f -> new FindingView(f.app(), f.kind().wireName(), f.message())).toList();
  }
}
