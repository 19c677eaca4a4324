package dev.pier.datastores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/** A real RabbitMQ node per add-on, run as its own uid in the sandbox. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RabbitmqDatastoreTest {
  private static Path base;
  private static List<Datastore> catalog;
  private static Datastore rabbitmq;
  private static StoreSpec spec;
  private static Credentials credentials;

  @BeforeAll
  static void startOne() throws Exception {
    TestHosts.assumeRoot();
    base = TestHosts.base();
    catalog = TestHosts.catalog();
    rabbitmq = catalog.stream().filter(d -> d.kind().equals("rabbitmq")).findFirst().orElseThrow();
    spec = TestHosts.spec(rabbitmq, base, "rabbitmq-amber-1");
    // A create that a killed Pier left half done: create starts over.
    Files.createDirectories(spec.dataDir().resolve("mnesia"));
    Files.writeString(spec.dataDir().resolve("rabbitmq.conf"), "garbage = ");
    credentials = rabbitmq.create(spec);
    rabbitmq.start(spec, credentials);
  }

  @AfterAll
  static void stopAll() {
    if (catalog != null) catalog.forEach(Datastore::close);
    if (base != null) TestHosts.deleteQuietly(base);
  }

  static Connection connect(String url) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(url);
    factory.setConnectionTimeout(5000);
    factory.setAutomaticRecoveryEnabled(false);
    return factory.newConnection();
  }

  static Connection connect(Credentials c) throws Exception {
    return connect(rabbitmq.configVars(c).get("URL"));
  }

  @Test
  void anAppConnectsWithItsUrlAndKeepsDurableMessagesWhenTheNodeIsKilled() throws Exception {
    try (Connection conn = connect(credentials); Channel ch = conn.createChannel()) {
      ch.queueDeclare("jobs", true, false, false, null);
      ch.basicPublish("", "jobs", MessageProperties.PERSISTENT_TEXT_PLAIN, "job-1".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("", "jobs", MessageProperties.PERSISTENT_TEXT_PLAIN, "job-2".getBytes(StandardCharsets.UTF_8));
    }
    Status before = rabbitmq.status(spec, credentials);
    assertEquals("running", before.state());
    assertTrue(before.version().startsWith("RabbitMQ 3."), before.version());
    TestHosts.kill9(before.pid());
    assertTrue(TestHosts.eventually(60, () -> {
      Status now = rabbitmq.status(spec, credentials);
      return now.state().equals("running") && now.pid() != before.pid();
    }), () -> rabbitmq.status(spec, credentials).toString());
    try (Connection conn = connect(credentials); Channel ch = conn.createChannel()) {
      GetResponse first = ch.basicGet("jobs", true);
      assertNotNull(first);
      assertEquals("job-1", new String(first.getBody(), StandardCharsets.UTF_8));
    }
    // The second message is still there for the next consumer (a stop and start of the node runs
    // the same supervisor path as this restart; the other kinds' tests cover it, RabbitMQ boots slowly).
    try (Connection conn = connect(credentials); Channel ch = conn.createChannel()) {
      GetResponse second = ch.basicGet("jobs", true);
      assertNotNull(second);
      assertEquals("job-2", new String(second.getBody(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void guestAndWrongPasswordsAreRefusedAndNoOtherVhostIsOpen() throws Exception {
    assertThrows(AuthenticationFailureException.class,
        () -> connect("amqp://guest:guest@127.0.0.1:" + spec.port() + "/").close());
    assertThrows(AuthenticationFailureException.class,
        () -> connect("amqp://" + credentials.user() + ":wrong@127.0.0.1:" + spec.port() + "/" + credentials.path()).close());
    assertThrows(Exception.class,
        () -> connect("amqp://" + credentials.user() + ":" + credentials.password() + "@127.0.0.1:" + spec.port() + "/").close());
  }

  @Test
  void pierNeverRunsAShellFileTheAddOnsUidCanWriteAsRoot() throws Exception {
    // A compromised server could write this file: it is the node's own, sourced by its launch script.
    Files.writeString(spec.dataDir().resolve("rabbitmq-env.conf"), "id -u >> \"$HOME/ran-as\"\n");
    try {
      rabbitmq.stop(spec.name());
      rabbitmq.start(spec, credentials); // runs rabbitmqctl (vhost limits) as root

      Path ranAs = spec.dataDir().resolve("ran-as");
      List<String> uids = Files.exists(ranAs) ? Files.readAllLines(ranAs) : List.of();
      assertFalse(uids.contains("0"), "sourced as root: " + uids);
    } finally {
      Files.deleteIfExists(spec.dataDir().resolve("rabbitmq-env.conf"));
    }
  }

  @Test
  void rotateRefusesTheOldPasswordWithoutARestart() throws Exception {
    long pid = rabbitmq.status(spec, credentials).pid();
    Credentials old = credentials;
    CommandLineWatch watch = new CommandLineWatch("change_password");
    Credentials fresh = rabbitmq.rotate(spec, old);
    credentials = fresh;
    List<String> seen = watch.seen();
    assertFalse(seen.isEmpty(), "rabbitmqctl change_password was never seen running");
    assertTrue(seen.stream().noneMatch(l -> l.contains(fresh.password())), () -> "password on a command line: " + seen);
    assertNotEquals(old.password(), fresh.password());
    assertThrows(AuthenticationFailureException.class, () -> connect(old).close());
    connect(fresh).close();
    assertEquals(pid, rabbitmq.status(spec, fresh).pid());
  }

  @Test
  void aTwoStepRotationAlternatesTwoUsersAndKeepsTheQueuesAndOpenConnections() throws Exception {
    Credentials old = credentials;
    try (Connection open = connect(old)) {
      Channel ch = open.createChannel();
      ch.queueDeclare("rotated", true, false, false, null);
      ch.basicPublish("", "rotated", MessageProperties.PERSISTENT_TEXT_PLAIN, "kept".getBytes(StandardCharsets.UTF_8));
      Credentials second = rabbitmq.addPassword(spec, old);
      credentials = second;
      assertNotEquals(old.user(), second.user());
      connect(old).close();
      rabbitmq.retirePassword(spec, old, second);
      assertThrows(AuthenticationFailureException.class, () -> connect(old).close());
      assertTrue(open.isOpen());
      try (Connection fresh = connect(second)) {
        GetResponse got = fresh.createChannel().basicGet("rotated", true);
        assertNotNull(got);
        assertEquals("kept", new String(got.getBody(), StandardCharsets.UTF_8));
      }
      Credentials third = rabbitmq.addPassword(spec, second);
      credentials = third;
      assertEquals(old.user(), third.user());
      rabbitmq.retirePassword(spec, second, third);
      assertThrows(AuthenticationFailureException.class, () -> connect(second).close());
      connect(third).close();
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void destroyRemovesTheNodeAndItsDataAndIsIdempotent() throws Exception {
    rabbitmq.destroy(spec);
    assertFalse(Files.exists(spec.dataDir()));
    assertThrows(Exception.class, () -> connect(credentials).close());
    rabbitmq.destroy(spec);
  }
}
