package dev.pier.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.router.acme.Http01Challenges;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The acme4j client's local side: its account key, and what an unreachable CA gives. */
class Acme4jAuthorityTest {
  @TempDir Path tmp;

  @Test
  void theAccountKeyIsCreatedOwnerOnlyOnceAndKeptAcrossStarts() throws Exception {
    Path dir = tmp.resolve("acme");
    var first = Acme4jAuthority.accountKey(dir);
    Path file = dir.resolve("account-key.pem");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(Acme4jAuthority.accountKey(dir).getPublic()).isEqualTo(first.getPublic());
  }

  @Test
  void loosenedModesOfTheAccountKeyAndItsFolderAreTightenedAtTheNextStart() throws Exception {
    Path dir = tmp.resolve("acme");
    Acme4jAuthority.accountKey(dir);
    Path file = dir.resolve("account-key.pem");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Acme4jAuthority.accountKey(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
  }

  @Test
  void anUnreachableDirectoryIsAFailureThatNamesTheServer() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    URI directory = URI.create("https://127.0.0.1:" + closed + "/dir");
    Http01Challenges challenges = new Http01Challenges();
    Acme4jAuthority ca = new Acme4jAuthority(new AcmeSettings(directory, null, null), tmp, challenges);
    assertThatThrownBy(() -> ca.order("www.shop.test")).isInstanceOf(AcmeFailure.class)
        .hasMessageStartingWith("cannot reach the ACME server " + directory);
    assertThat(challenges.size()).isZero();
  }
}
