package dev.pier.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.model.InstanceState;
import dev.pier.runtime.InstanceStatus;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Disks;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@link LocalRuntimeBackend} for each test, as a JUnit 5 extension on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BackendFixture fixture =
 *     BackendFixture.inCgroup("pier-test-task").appsNamed("tk").bootTimeout(Duration.ofSeconds(1));
 * }</pre>
 *
 * <p>Once per class it writes the {@link Slug#nodeServer()} slug ({@link #serverSlug()}) into a
 * temporary directory ({@link #slugs()}), and afterwards deletes it and releases the class's
 * cgroup base. Before each test it makes a fresh run directory, a {@link RecordingListener}, a
 * random app name and a backend in cgroups under the base, on the default port range; after each
 * test it closes the backend and deletes the run directory. Tests run one at a time: the fixture
 * holds the current test's parts.
 */
final class BackendFixture
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final String cgroupBase;
  private String appPrefix = "t";
  private Setup setup = new Setup(true, RestartPolicy.DEFAULT, Duration.ofSeconds(20), Clock.systemUTC());
  private boolean loopDisks;

  private Path slugs;
  private Path serverSlug;
  private Path runDir;
  private RecordingListener listener;
  private String app;
  private Cgroups cgroups;
  private LocalRuntimeBackend backend;

  private BackendFixture(String cgroupBase) {
    this.cgroupBase = cgroupBase;
  }

  /**
   * A fixture whose instances' cgroups are under {@code base}, one base per test class; apps
   * named {@code t-<random>}, {@link RestartPolicy#DEFAULT}, 20 s to boot and plain {@code /app}
   * directories unless the methods below, called before it is registered, say otherwise.
   */
  static BackendFixture inCgroup(String base) {
    return new BackendFixture(base);
  }

  /** Apps are named {@code prefix-<random>}. */
  BackendFixture appsNamed(String prefix) {
    this.appPrefix = prefix;
    return this;
  }

  /** How crashed instances are restarted. */
  BackendFixture restartPolicy(RestartPolicy policy) {
    this.setup = setup.withRestartPolicy(policy);
    return this;
  }

  /** The backend's default boot timeout. */
  BackendFixture bootTimeout(Duration timeout) {
    this.setup = setup.withBootTimeout(timeout);
    return this;
  }

  /**
   * Gives each instance's {@code /app} a loop-mounted disk ({@link Disks#detect()}); skips the
   * test when not root or when the host cannot make loop disks, and reaps disks a test left.
   */
  BackendFixture loopDisks() {
    this.loopDisks = true;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    slugs = Files.createTempDirectory(cgroupBase + "-slugs");
    serverSlug = Slug.nodeServer().writeTo(slugs.resolve("server.tar.gz"));
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    InstanceDirectory.deleteTree(slugs);
    Cgroups.detect(cgroupBase).release();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    if (loopDisks) assumeTrue(Sandbox.runningAsRoot(), "needs root for loop disks");
    runDir = Files.createTempDirectory(cgroupBase + "-run");
    listener = new RecordingListener();
    app = appPrefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    backend = newBackend(setup);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (backend != null) backend.close();
    if (runDir != null) {
      if (loopDisks) Disks.loop().reapLeftovers(runDir);
      InstanceDirectory.deleteTree(runDir);
    }
    runDir = null;
    listener = null;
    app = null;
    cgroups = null;
    backend = null;
  }

  /**
   * Closes this test's backend and puts one in its place, on the same run dir, built with the
   * class's setup as {@code change} alters it: {@code useBackend(s -> s.withBootTimeout(...))}.
   */
  void useBackend(UnaryOperator<Setup> change) {
    backend.close();
    backend = newBackend(change.apply(setup));
  }

  /**
   * Puts a new backend with the class's options in place of this test's, on the same run dir, as
   * a restarted server would start; the test has closed the old one.
   */
  void reopenBackend() {
    backend = newBackend(setup);
  }

  private LocalRuntimeBackend newBackend(Setup with) {
    cgroups = with.cgroups() ? Cgroups.detect(cgroupBase) : Cgroups.none();
    LocalRuntimeBackend.Options options = new LocalRuntimeBackend.Options(
        cgroups, PortAllocator.defaultRange(), with.restartPolicy(), with.bootTimeout());
    if (loopDisks) {
      options = options.withDisks(Disks.detect());
      assumeTrue(options.disks().caps(), "this host cannot make loop disks");
    }
    return new LocalRuntimeBackend(runDir, Sandbox.system(), listener, with.clock(), options);
  }

  LocalRuntimeBackend backend() {
    return backend;
  }

  RecordingListener listener() {
    return listener;
  }

  /** This test's app: the class's prefix and a random suffix, so runs never share instances. */
  String app() {
    return app;
  }

  /** The cgroups of this test's backend: under the class's base, or none. */
  Cgroups cgroups() {
    return cgroups;
  }

  /** Where this test's backend keeps its instances. */
  Path runDir() {
    return runDir;
  }

  /** The class's slug directory: tests may write further slugs into it. */
  Path slugs() {
    return slugs;
  }

  /** The {@link Slug#nodeServer()} slug, written once per class. */
  Path serverSlug() {
    return serverSlug;
  }

  /** Waits up to 15 s for the instance of this test's app to change into {@code to}. */
  RecordingListener.Change awaitState(String instance, InstanceState to) throws InterruptedException {
    return listener.awaitState(app, instance, to);
  }

  /** Waits for the {@code occurrence}-th (1-based) change of the instance into {@code to}. */
  RecordingListener.Change awaitState(String instance, InstanceState to, int occurrence, Duration timeout)
      throws InterruptedException {
    return listener.awaitState(app, instance, to, occurrence, timeout);
  }

  /** Waits until an event of the instance matches {@code match} and returns its message. */
  String awaitEvent(String instance, Predicate<String> match, Duration timeout) throws InterruptedException {
    return listener.awaitEvent(app, instance, match, timeout);
  }

  /** The state changes of the instance of this test's app so far. */
  List<RecordingListener.Change> changes(String instance) {
    return listener.changes(app, instance);
  }

  /** The output lines of the instance of this test's app so far. */
  List<RecordingListener.Line> lines(String instance) {
    return listener.lines(app, instance);
  }

  /** The one instance of this test's app, failing the test unless there is exactly one. */
  InstanceStatus single() {
    List<InstanceStatus> list = backend.list(app);
    assertThat(list).hasSize(1);
    return list.getFirst();
  }

  /**
   * What a backend is built with, besides the run dir, listener and disks.
   *
   * @param cgroups whether instances get cgroups under the class's base ({@link Cgroups#none()}
   *     if not)
   */
  record Setup(boolean cgroups, RestartPolicy restartPolicy, Duration bootTimeout, InstantSource clock) {
    Setup withRestartPolicy(RestartPolicy policy) {
      return new Setup(cgroups, policy, bootTimeout, clock);
    }

    Setup withBootTimeout(Duration timeout) {
      return new Setup(cgroups, restartPolicy, timeout, clock);
    }

    Setup withClock(InstantSource newClock) {
      return new Setup(cgroups, restartPolicy, bootTimeout, newClock);
    }

    Setup withoutCgroups() {
      return new Setup(false, restartPolicy, bootTimeout, clock);
    }
  }
}
