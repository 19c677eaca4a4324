package dev.pier.datastores;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One add-on of a kind on real servers (root, bwrap, cgroups), made and started before a test
 * class's tests and removed with its data store's servers after them. Register it as a static
 * {@code @RegisterExtension} field; tests read and replace its {@link #credentials} (rotations).
 */
final class RunningAddOn implements BeforeAllCallback, AfterAllCallback {
  /** What to do to the add-on's folder before the create (leave a half-done one behind). */
  @FunctionalInterface
  interface BeforeCreate {
    void accept(StoreSpec spec) throws Exception;
  }

  private final String kind;
  private final String name;
  private final BeforeCreate beforeCreate;
  Path base;
  List<Datastore> catalog;
  Datastore store;
  StoreSpec spec;
  Credentials credentials;

  RunningAddOn(String kind, String name) {
    this(kind, name, spec -> {});
  }

  RunningAddOn(String kind, String name, BeforeCreate beforeCreate) {
    this.kind = kind;
    this.name = name;
    this.beforeCreate = beforeCreate;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    TestHosts.assumeRoot();
    base = TestHosts.base();
    catalog = TestHosts.catalog();
    store = catalog.stream().filter(d -> d.kind().equals(kind)).findFirst().orElseThrow();
    spec = TestHosts.spec(store, base, name);
    beforeCreate.accept(spec);
    credentials = createAndStart(spec);
  }

  /**
   * Another add-on of this kind, called {@code name}, whose folder holds what a create cut off by
   * a kill -9 of Pier could leave: the folder {@code dir} and a garbage {@code file}.
   */
  StoreSpec halfMade(String name, String dir, String file) throws Exception {
    StoreSpec half = TestHosts.spec(store, base, name);
    Files.createDirectories(half.dataDir().resolve(dir));
    Files.writeString(half.dataDir().resolve(file), "garbage");
    return half;
  }

  /** What the add-on's server is doing now. */
  Status status() {
    return store.status(spec, credentials);
  }

  /**
   * SIGKILLs the add-on's server and waits up to {@code seconds} until its supervisor has a new one
   * running and answering.
   */
  void killServerAndAwaitRestart(int seconds) throws Exception {
    Status before = status();
    TestHosts.kill9(before.pid());
    assertTrue(TestHosts.eventually(seconds, () -> {
      Status now = status();
      return now.state().equals("running") && now.pid() != before.pid() && !now.version().isEmpty();
    }), () -> status().toString());
  }

  /** Rotates the password in one step; the new credentials are this add-on's from now on. */
  Credentials rotate() throws DatastoreException {
    credentials = store.rotate(spec, credentials);
    return credentials;
  }

  /** Adds a password beside the current one; the new credentials are this add-on's from now on. */
  Credentials addPassword() throws DatastoreException {
    credentials = store.addPassword(spec, credentials);
    return credentials;
  }

  /** Makes and starts the add-on of {@code another}, returning its credentials. */
  Credentials createAndStart(StoreSpec another) throws Exception {
    Credentials made = store.create(another);
    store.start(another, made);
    return made;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (catalog != null) catalog.forEach(Datastore::close);
    if (base != null) TestHosts.deleteQuietly(base);
  }
}
