package dev.pier.datastores.redis;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pier's Redis client against a real socket that never answers. */
class RespTest {
  @Test
  void aCommandTheServerNeverAnswersFailsAfterTheTimeoutInsteadOfBlockingForever() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        try (Socket s = silent.accept()) {
          s.getInputStream().readAllBytes(); // reads the command, answers nothing
        } catch (Exception e) {
          // the client went away
        }
      });
      long start = System.nanoTime();
      try (Resp r = Resp.tcp("127.0.0.1", silent.getLocalPort(), Duration.ofMillis(300))) {
        assertThrows(SocketTimeoutException.class, () -> r.call("PING"));
      }
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "gave up within the timeout");
    }
  }
}
