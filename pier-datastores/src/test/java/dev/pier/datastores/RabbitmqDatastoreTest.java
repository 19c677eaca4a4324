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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real RabbitMQ node per add-on, run as its own uid in the sandbox. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RabbitmqDatastoreTest {
  /** A create that a killed Pier left half done: create starts over. */
  @RegisterExtension
  static final RunningAddOn addon = new RunningAddOn("rabbitmq", "rabbitmq-amber-1", spec -> {
    Files.createDirectories(spec.dataDir().resolve("mnesia"));
    Files.writeString(spec.dataDir().resolve("rabbitmq.conf"), "garbage = ");
  });

  static Connection connect(String url) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(url);
    factory.setConnectionTimeout(5000);
    factory.setAutomaticRecoveryEnabled(false);
    return factory.newConnection();
  }

  static Connection connect(Credentials c) throws Exception {
    return connect(addon.store.configVars(c).get("URL"));
  }

  @Test
  void anAppConnectsWithItsUrlAndKeepsDurableMessagesWhenTheNodeIsKilled() throws Exception {
    try (Connection conn = connect(addon.credentials); Channel ch = conn.createChannel()) {
      ch.queueDeclare("jobs", true, false, false, null);
      ch.basicPublish("", "jobs", MessageProperties.PERSISTENT_TEXT_PLAIN, "job-1".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("", "jobs", MessageProperties.PERSISTENT_TEXT_PLAIN, "job-2".getBytes(StandardCharsets.UTF_8));
    }
    Status before = addon.status();
    assertEquals("running", before.state());
    assertTrue(before.version().startsWith("RabbitMQ 3."), before.version());
    addon.killServerAndAwaitRestart(60);
    try (Connection conn = connect(addon.credentials); Channel ch = conn.createChannel()) {
      GetResponse first = ch.basicGet("jobs", true);
      assertNotNull(first);
      assertEquals("job-1", new String(first.getBody(), StandardCharsets.UTF_8));
    }
    // The second message is still there for the next consumer (a stop and start of the node runs
    // the same supervisor path as this restart; the other kinds' tests cover it, RabbitMQ boots slowly).
    try (Connection conn = connect(addon.credentials); Channel ch = conn.createChannel()) {
      GetResponse second = ch.basicGet("jobs", true);
      assertNotNull(second);
      assertEquals("job-2", new String(second.getBody(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void guestAndWrongPasswordsAreRefusedAndNoOtherVhostIsOpen() throws Exception {
    assertThrows(AuthenticationFailureException.class,
        () -> connect("amqp://guest:guest@127.0.0.1:" + addon.spec.port() + "/").close());
    assertThrows(AuthenticationFailureException.class,
        () -> connect("amqp://" + addon.credentials.user() + ":wrong@127.0.0.1:" + addon.spec.port() + "/" + addon.credentials.path()).close());
    assertThrows(Exception.class,
        () -> connect("amqp://" + addon.credentials.user() + ":" + addon.credentials.password() + "@127.0.0.1:" + addon.spec.port() + "/").close());
  }

  @Test
  void pierNeverRunsAShellFileTheAddOnsUidCanWriteAsRoot() throws Exception {
    // A compromised server could write this file: it is the node's own, sourced by its launch script.
    Files.writeString(addon.spec.dataDir().resolve("rabbitmq-env.conf"), "id -u >> \"$HOME/ran-as\"\n");
    try {
      addon.store.stop(addon.spec.name());
      addon.store.start(addon.spec, addon.credentials); // runs rabbitmqctl (vhost limits) as root

      Path ranAs = addon.spec.dataDir().resolve("ran-as");
      List<String> uids = Files.exists(ranAs) ? Files.readAllLines(ranAs) : List.of();
      assertFalse(uids.contains("0"), "sourced as root: " + uids);
    } finally {
      Files.deleteIfExists(addon.spec.dataDir().resolve("rabbitmq-env.conf"));
    }
  }

  @Test
  void rotateRefusesTheOldPasswordWithoutARestart() throws Exception {
    long pid = addon.status().pid();
    Credentials old = addon.credentials;
    CommandLineWatch watch = new CommandLineWatch("change_password");
    Credentials fresh = addon.rotate();
    List<String> seen = watch.seen();
    assertFalse(seen.isEmpty(), "rabbitmqctl change_password was never seen running");
    assertTrue(seen.stream().noneMatch(l -> l.contains(fresh.password())), () -> "password on a command line: " + seen);
    assertNotEquals(old.password(), fresh.password());
    assertThrows(AuthenticationFailureException.class, () -> connect(old).close());
    connect(fresh).close();
    assertEquals(pid, addon.store.status(addon.spec, fresh).pid());
  }

  @Test
  void aTwoStepRotationAlternatesTwoUsersAndKeepsTheQueuesAndOpenConnections() throws Exception {
    Credentials old = addon.credentials;
    try (Connection open = connect(old)) {
      Channel ch = open.createChannel();
      ch.queueDeclare("rotated", true, false, false, null);
      ch.basicPublish("", "rotated", MessageProperties.PERSISTENT_TEXT_PLAIN, "kept".getBytes(StandardCharsets.UTF_8));
      Credentials second = addon.addPassword();
      assertNotEquals(old.user(), second.user());
      connect(old).close();
      addon.store.retirePassword(addon.spec, old, second);
      assertThrows(AuthenticationFailureException.class, () -> connect(old).close());
      assertTrue(open.isOpen());
      try (Connection fresh = connect(second)) {
        GetResponse got = fresh.createChannel().basicGet("rotated", true);
        assertNotNull(got);
        assertEquals("kept", new String(got.getBody(), StandardCharsets.UTF_8));
      }
      Credentials third = addon.addPassword();
      assertEquals(old.user(), third.user());
      addon.store.retirePassword(addon.spec, second, third);
      assertThrows(AuthenticationFailureException.class, () -> connect(second).close());
      connect(third).close();
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void destroyRemovesTheNodeAndItsDataAndIsIdempotent() throws Exception {
    addon.store.destroy(addon.spec);
    assertFalse(Files.exists(addon.spec.dataDir()));
    assertThrows(Exception.class, () -> connect(addon.credentials).close());
    addon.store.destroy(addon.spec);
  }
}
