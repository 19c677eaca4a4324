package dev.pier.datastores.run;

import dev.pier.datastores.Credentials;
import dev.pier.datastores.Datastore;
import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.Plan;
import dev.pier.datastores.Status;
import dev.pier.datastores.StoreSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What every kind of data store does the same way, one server per add-on: the create flow (a
 * complete create returns the saved credentials; otherwise check the binaries, stop what runs,
 * make the folder anew, save new credentials, run the kind's own setup, mark it created; on any
 * failure delete the folder), start (supervised, restarted when it exits, returned once ready),
 * stop, destroy (the server, its cgroup and its folder) and status. Each kind supplies only its
 * own steps.
 *
 * <p>The folder of an add-on whose plan keeps data is a disk of the plan's storage ({@link
 * AddonDisks}): mounted before the kind's setup and before every start, unmounted when the server
 * stops, deleted with the add-on (and when a create fails).
 */
public abstract class ServerDatastore implements Datastore {
  private static final String SECOND_USER = "_b";
  private static final Status STOPPED = new Status("stopped", -1, -1, -1, -1, "", 0, "");

  protected final Host host;
  protected final Supervisors supervisors = new Supervisors();
  private final AddonDisks disks;
  private final String kind;
  private final List<Plan> plans;
  private final Duration startTimeout;

  /**
   * @param kind what {@link #kind()} answers
   * @param plans what {@link #plans()} answers, smallest first
   * @param startTimeout how long a started server may take to be ready
   */
  protected ServerDatastore(Host host, String kind, List<Plan> plans, Duration startTimeout) {
    this.host = host;
    this.kind = kind;
    this.plans = List.copyOf(plans);
    this.startTimeout = startTimeout;
    this.disks = new AddonDisks(host.disks());
  }

  /**
   * {@inheritDoc} Here: a disk of their own; false for plans without disk data and on hosts
   * without loop disks (not root, no {@code mkfs.ext4}), where add-ons run without a cap.
   */
  @Override
  public final boolean storageCapped(Plan plan) {
    return disks.available() && plan.storageBytes() > 0;
  }

  /** What the running server says of itself for {@link #status}. */
  public record Reading(int connections, long dataBytes, String version) {}

  /** Fails, naming the Debian package, unless the kind's programs are installed. */
  protected abstract void requireBinaries() throws DatastoreException;

  /**
   * The credentials a new add-on gets (saved before {@link #setUp} runs); the default is a user,
   * a password and a path (database, vhost), all random.
   */
  protected Credentials newCredentials(StoreSpec spec) {
    return new Credentials("127.0.0.1", spec.port(), Secrets.name(), Secrets.password(), Secrets.name());
  }

  /** The kind's own part of a create, in the fresh folder; what it leaves on failure is deleted. */
  protected abstract void setUp(StoreSpec spec, Credentials credentials) throws DatastoreException;

  /** The server's command, environment and main process. */
  protected abstract ServerLaunch launch(StoreSpec spec) throws DatastoreException;

  /** The signal that asks the server to stop cleanly. */
  protected String stopSignal() {
    return "TERM";
  }

  /** Run before the server starts (config files from the plan, rewritten at each start). */
  protected void beforeStart(StoreSpec spec, Credentials saved) throws DatastoreException {}

  /** True once the started server accepts connections. */
  protected abstract boolean ready(StoreSpec spec, Credentials saved);

  /** Run once the server is ready; when it fails the server is stopped again. */
  protected void whenReady(StoreSpec spec, Credentials saved) throws DatastoreException {}

  /** Run after a successful start (the server keeps running when it fails). */
  protected void afterStart(StoreSpec spec, Credentials credentials) throws DatastoreException {}

  /**
   * Whether a server its supervisor calls running answers yet ({@code starting} when not). The
   * default trusts the supervisor.
   */
  protected boolean answers(StoreSpec spec) {
    return true;
  }

  /** What the running server says of itself; failures answer {@link #idle}. */
  protected abstract Reading read(StoreSpec spec, Credentials credentials) throws IOException, DatastoreException;

  /** What is known of a server that is not running: its data's size on disk when the kind keeps any. */
  protected Reading idle(StoreSpec spec) {
    return new Reading(-1, -1, "");
  }

  /**
   * The other of the two users that rotations alternate in kinds holding one password per user:
   * {@code NAME_b} for {@code NAME}, {@code NAME} for {@code NAME_b}.
   */
  protected static String otherUser(String user) {
    return user.endsWith(SECOND_USER) ? user.substring(0, user.length() - SECOND_USER.length()) : user + SECOND_USER;
  }

  @Override
  public final String kind() {
    return kind;
  }

  @Override
  public final List<Plan> plans() {
    return plans;
  }

  @Override
  public final Credentials create(StoreSpec spec) throws DatastoreException {
    disks.mountIfMade(spec); // a complete create's files are on its disk
    if (DataDir.created(spec)) return Settings.credentials(spec);
    requireBinaries();
    stop(spec.name());
    try {
      disks.discard(spec);
      DataDir.recreate(spec, () -> disks.mount(spec));
      Credentials credentials = newCredentials(spec);
      Settings.saveCredentials(spec, credentials);
      makeOutsideDisk(spec);
      setUp(spec, credentials);
      DataDir.markCreated(spec);
      return credentials;
    } catch (DatastoreException | RuntimeException e) {
      try {
        disks.discard(spec);
      } catch (DatastoreException cleanup) {
        e.addSuppressed(cleanup);
      }
      try {
        DataDir.delete(spec.dataDir());
        deleteOutsideDisk(spec);
      } catch (DatastoreException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /**
   * Folders of the add-on kept outside its capped disk (PostgreSQL's write-ahead log), made anew
   * by create before {@link #setUp}, and deleted with the add-on; none by default.
   */
  protected List<java.nio.file.Path> outsideDisk(StoreSpec spec) {
    return List.of();
  }

  private void deleteOutsideDisk(StoreSpec spec) throws DatastoreException {
    for (java.nio.file.Path dir : outsideDisk(spec)) DataDir.delete(dir);
  }

  private void makeOutsideDisk(StoreSpec spec) throws DatastoreException {
    for (java.nio.file.Path dir : outsideDisk(spec)) {
      DataDir.delete(dir);
      makeFolder(spec, dir);
    }
  }

  private static void makeFolder(StoreSpec spec, java.nio.file.Path dir) throws DatastoreException {
    try {
      java.nio.file.Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
      DataDir.chown(spec, dir);
    } catch (java.io.IOException e) {
      throw new DatastoreException("could not make " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A supervisor of the add-on's server, not yet started. */
  protected final ServerSupervisor supervisor(StoreSpec spec) throws DatastoreException {
    return new ServerSupervisor(host, spec, launch(spec), stopSignal());
  }

  @Override
  public final void start(StoreSpec spec, Credentials credentials) throws DatastoreException {
    if (supervisors.running(spec.name())) return;
    disks.mount(spec);
    if (!DataDir.created(spec)) throw new DatastoreException("add-on " + spec.name() + " was never made");
    Credentials saved = Settings.credentials(spec);
    for (java.nio.file.Path dir : outsideDisk(spec)) {
      // Made again if gone (removed by hand, or an add-on older than the folder): its server's
      // sandbox binds it, and would not start without it.
      if (!java.nio.file.Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) makeFolder(spec, dir);
    }
    beforeStart(spec, saved);
    supervisors.start(spec.name(), supervisor(spec), s -> {
      s.awaitReady(() -> ready(spec, saved), startTimeout);
      whenReady(spec, saved);
    });
    afterStart(spec, credentials);
  }

  @Override
  public final void stop(String name) {
    supervisors.stop(name);
    disks.unmount(name);
  }

  @Override
  public final void destroy(StoreSpec spec) throws DatastoreException {
    stop(spec.name());
    // Stopping removes the cgroup of a server this process ran; this also takes one it did not.
    host.removeCgroup(spec);
    disks.discard(spec);
    DataDir.delete(spec.dataDir());
    deleteOutsideDisk(spec);
  }

  @Override
  public final Status status(StoreSpec spec, Credentials credentials) {
    Optional<ServerSupervisor> server = supervisors.get(spec.name());
    if (server.isEmpty()) return STOPPED;
    ServerSupervisor s = server.get();
    String state = s.state();
    if (state.equals("running") && !answers(spec)) state = "starting";
    Reading r = idle(spec);
    if (state.equals("running")) {
      try {
        r = read(spec, credentials);
      } catch (IOException | DatastoreException | RuntimeException e) {
        // Answered with what is known.
      }
    }
    return new Status(state, s.serverPid().orElse(-1L), s.memoryBytes(), r.connections(), r.dataBytes(), r.version(),
        s.restarts(), s.message());
  }

  @Override
  public void close() {
    supervisors.stopAll();
    disks.unmountAll();
  }
}
