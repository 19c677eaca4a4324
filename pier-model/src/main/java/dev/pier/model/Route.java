package dev.pier.model;

import java.util.List;

/** Where requests for one app go: the app's name and its ready web instances (may be empty). */
public record Route(String app, List<Backend> backends) {
  public Route {
    backends = List.copyOf(backends);
  }
}
