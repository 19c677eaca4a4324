package dev.pier.addons;

import dev.pier.datastores.Credentials;
import dev.pier.datastores.Datastore;
import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.Plan;
import dev.pier.datastores.Status;
import dev.pier.datastores.StoreSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory data store for tests: remembers what it made and runs, with switches to make
 * {@code create} or {@code start} fail. Its config vars follow the real kinds' suffixes.
 */
public final class FakeDatastore implements Datastore {
  private final String kind;
  /** Made and not destroyed, by name. */
  public final Map<String, StoreSpec> made = new ConcurrentHashMap<>();
  /** Running now. */
  public final Set<String> running = ConcurrentHashMap.newKeySet();
  public volatile boolean failCreate;
  public volatile boolean failStart;
  public volatile boolean sasl = true;
  /** What each add-on "holds": backups copy it to a file and back. */
  public final Map<String, String> data = new ConcurrentHashMap<>();
  public volatile boolean failBackup;
  /** Called at the start of each backup capture. */
  public volatile Runnable onBackup = () -> {};
  private int passwords;
  /** Called at the start of each {@code create}. */
  public volatile java.util.function.Consumer<StoreSpec> onCreate = spec -> {};

  public FakeDatastore(String kind) {
    this.kind = kind;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public List<Plan> plans() {
    return List.of(new Plan("small", 64L << 20, 20, 1L << 30), new Plan("medium", 256L << 20, 100, 10L << 30),
        new Plan("large", 1L << 30, 400, 50L << 30));
  }

  @Override
  public Credentials create(StoreSpec spec) throws DatastoreException {
    onCreate.accept(spec); // outside the lock: a test may hold creates here together
    synchronized (this) {
      if (failCreate) throw new DatastoreException("initdb failed: disk full");
      made.put(spec.name(), spec);
      return new Credentials("127.0.0.1", spec.port(), kind.equals("redis") ? "" : spec.name().replace('-', '_'),
          "secret" + (++passwords), kind.equals("postgres") ? spec.name().replace('-', '_') : "");
    }
  }

  @Override
  public void start(StoreSpec spec, Credentials credentials) throws DatastoreException {
    if (failStart) throw new DatastoreException("the server did not start: FATAL: could not map shared memory");
    if (!made.containsKey(spec.name())) throw new DatastoreException("no add-on " + spec.name());
    running.add(spec.name());
  }

  @Override
  public void stop(String name) {
    running.remove(name);
  }

  @Override
  public void destroy(StoreSpec spec) {
    running.remove(spec.name());
    made.remove(spec.name());
  }

  @Override
  public synchronized Credentials rotate(StoreSpec spec, Credentials current) {
    return new Credentials(current.host(), current.port(), current.user(), "secret" + (++passwords), current.path());
  }

  @Override
  public Status status(StoreSpec spec, Credentials credentials) {
    boolean up = running.contains(spec.name());
    return new Status(up ? "running" : "stopped", up ? 4242 : -1, 1 << 20, up ? 3 : -1, 8 << 20,
        kind + " 1.0", 0, "");
  }

  @Override
  public Map<String, String> configVars(Credentials c) {
    Map<String, String> vars = new LinkedHashMap<>();
    switch (kind) {
      case "memcached" -> {
        vars.put("SERVERS", c.host() + ":" + c.port());
        if (sasl) {
          vars.put("USERNAME", c.user());
          vars.put("PASSWORD", c.password());
        }
      }
      case "redis" -> vars.put("URL", "redis://:" + c.password() + "@" + c.host() + ":" + c.port());
      case "rabbitmq" -> vars.put("URL", "amqp://" + c.user() + ":" + c.password() + "@" + c.host() + ":" + c.port() + "/" + c.path());
      default -> vars.put("URL", kind + "://" + c.user() + ":" + c.password() + "@" + c.host() + ":" + c.port() + "/" + c.path());
    }
    return vars;
  }

  @Override
  public java.util.Optional<dev.pier.datastores.Backups> backups() {
    if (!kind.equals("postgres")) return java.util.Optional.empty();
    return java.util.Optional.of(new dev.pier.datastores.Backups() {
      @Override
      public long capture(StoreSpec spec, Credentials c, java.nio.file.Path target) throws DatastoreException {
        onBackup.run();
        if (failBackup) throw new DatastoreException("pg_dump: no space left on the backup disk");
        try {
          java.nio.file.Files.writeString(target, data.getOrDefault(spec.name(), ""));
          return java.nio.file.Files.size(target);
        } catch (java.io.IOException e) {
          throw new DatastoreException(e.getMessage());
        }
      }

      @Override
      public void restore(StoreSpec spec, Credentials c, java.nio.file.Path source) throws DatastoreException {
        try {
          data.put(spec.name(), java.nio.file.Files.readString(source));
        } catch (java.io.IOException e) {
          throw new DatastoreException("no backup file " + source.getFileName());
        }
      }
    });
  }

  @Override
  public void close() {
    running.clear();
  }
}
