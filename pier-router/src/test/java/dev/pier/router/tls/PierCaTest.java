package dev.pier.router.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PierCaTest {
  @TempDir Path dir;

  @Test
  void theCaIsCreatedOnceWithAnOwnerOnlyKeyAndLoadedAgainLater() throws Exception {
    Path caDir = dir.resolve("ca");
    PierCa first = PierCa.openOrCreate(caDir, "Pier CA");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir.resolve("ca-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir)))
        .isEqualTo("rwx------");
    PierCa again = PierCa.openOrCreate(caDir, "Pier CA");
    assertThat(again.certificate()).isEqualTo(first.certificate());
    assertThat(again.rootPem()).startsWith("-----BEGIN CERTIFICATE-----")
        .isEqualTo(Files.readString(caDir.resolve("ca.pem")));
    assertThat(first.certificate().getBasicConstraints()).isZero();
  }

  @Test
  void aLoosenedKeyFileAndFolderAreMadeOwnerOnlyAgainAtStart() throws Exception {
    Path caDir = dir.resolve("ca");
    PierCa first = PierCa.openOrCreate(caDir, "Pier CA");
    Files.setPosixFilePermissions(caDir.resolve("ca-key.pem"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(caDir, PosixFilePermissions.fromString("rwxr-xr-x"));

    PierCa again = PierCa.openOrCreate(caDir, "Pier CA");

    assertThat(again.certificate()).isEqualTo(first.certificate());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir.resolve("ca-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir))).isEqualTo("rwx------");
  }

  @Test
  void anIssuedCertificateNamesItsHostsAndIsSignedByTheCa() throws Exception {
    PierCa ca = PierCa.create("Pier CA");
    IssuedCertificate issued = ca.issue(List.of("shop.localhost", "*.shop.localhost"));
    X509Certificate leaf = issued.leaf();
    leaf.verify(ca.certificate().getPublicKey());
    leaf.checkValidity();
    assertThat(leaf.getSubjectAlternativeNames().stream().map(n -> (String) n.get(1)).toList())
        .containsExactly("shop.localhost", "*.shop.localhost");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(issued.chain()).containsExactly(leaf, ca.certificate());
  }

  @Test
  void namesUnderTheDomainMapToTheirApp() {
    PierCaCertificates certs = new PierCaCertificates(PierCa.create("Pier CA"), "localhost");
    assertThat(certs.appOf("shop.localhost")).isEqualTo("shop");
    assertThat(certs.appOf("api.shop.localhost")).isEqualTo("shop");
    assertThat(certs.appOf("localhost")).isNull();
    assertThat(certs.appOf("www.example.com")).isNull();
    assertThat(certs.appOf(null)).isNull();
    assertThat(certs.contextFor("www.example.com")).isSameAs(certs.fallback());
    assertThat(certs.contextFor("shop.localhost")).isSameAs(certs.contextFor("api.shop.localhost"));
  }

  @Test
  void onlyServedNamesGetACertificateACustomDomainOneForItsOwnName() throws Exception {
    java.util.Set<String> exact = java.util.Set.of("shop.localhost", "www.example.com");
    PierCaCertificates certs = new PierCaCertificates(PierCa.create("Pier CA"), "localhost",
        h -> exact.contains(h) ? h : h.endsWith(".wild.test") && h.indexOf('.') == h.length() - 10 ? "*.wild.test" : null);

    assertThat(certs.contextFor("ghost.localhost")).isSameAs(certs.fallback());
    assertThat(certs.contextFor("www.invented.test")).isSameAs(certs.fallback());
    assertThat(certs.certificateFor("ghost.localhost")).isNull();
    assertThat(certs.certificateFor("WWW.example.com").getSubjectAlternativeNames().stream()
        .map(n -> (String) n.get(1)).toList()).containsExactly("www.example.com");
    assertThat(certs.certificateFor("api.shop.localhost").getSubjectAlternativeNames().stream()
        .map(n -> (String) n.get(1)).toList()).containsExactly("shop.localhost", "*.shop.localhost");
    // A wildcard domain gets one certificate for all its names; other spellings of a name none.
    assertThat(certs.certificateFor("a.wild.test")).isSameAs(certs.certificateFor("b.wild.test"));
    assertThat(certs.certificateFor("a.wild.test").getSubjectAlternativeNames().stream()
        .map(n -> (String) n.get(1)).toList()).containsExactly("*.wild.test");
    assertThat(certs.certificateFor("www.example.com:1")).isNull();
    assertThat(certs.certificateFor("www.example.com.")).isNull();
    assertThat(certs.certificateFor("shop.localhost:2")).isNull();
  }
}
