package dev.pier.datastores.run;

import dev.pier.datastores.DatastoreException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The supervised servers of one data store, by add-on name. */
public final class Supervisors {
  private final Map<String, ServerSupervisor> servers = new ConcurrentHashMap<>();

  /** A step run once the server was started (waiting until it is ready). */
  @FunctionalInterface
  public interface AfterStart {
    void accept(ServerSupervisor server) throws DatastoreException;
  }

  /** True when the add-on's server is supervised (running, restarting or failed). */
  public boolean running(String name) {
    return servers.containsKey(name);
  }

  public Optional<ServerSupervisor> get(String name) {
    return Optional.ofNullable(servers.get(name));
  }

  /** Starts and registers the server; stops it again when {@code ready} fails. */
  public void start(String name, ServerSupervisor server, AfterStart ready) throws DatastoreException {
    server.start();
    try {
      ready.accept(server);
    } catch (DatastoreException | RuntimeException e) {
      server.stop();
      throw e;
    }
    servers.put(name, server);
  }

  public void stop(String name) {
    ServerSupervisor server = servers.remove(name);
    if (server != null) server.stop();
  }

  public void stopAll() {
    List<String> names = List.copyOf(servers.keySet());
    names.parallelStream().forEach(this::stop);
  }
}
