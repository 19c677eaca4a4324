package dev.pier.build.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.build.BuildFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JDK discovery in a JVM directory laid out like Debian's, and the choice of a JDK for a request. */
class JdkChoiceTest {
  @TempDir Path jvm;
  private List<Jdk> installed;

  @BeforeEach
  void installSeventeenAndTwentyFive() throws IOException {
    jdk("java-17-openjdk-amd64", "17.0.15");
    Files.createSymbolicLink(jvm.resolve("java-1.17.0-openjdk-amd64"), jvm.resolve("java-17-openjdk-amd64"));
    jdk("temurin-25-jdk-amd64", "25.0.3");
    Files.createDirectories(jvm.resolve("openjdk-17")); // a leftover without bin/java
    installed = Jdks.installed(jvm);
  }

  private void jdk(String dir, String version) throws IOException {
    Path home = Files.createDirectories(jvm.resolve(dir).resolve("bin"));
    for (String tool : List.of("java", "javac")) {
      Files.writeString(home.resolve(tool), "#!/bin/sh\n");
      Files.setPosixFilePermissions(home.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(jvm.resolve(dir).resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
  }

  @Test
  void installedJdksAreListedOnceEachLowestFirstSkippingAliasesAndLeftovers() throws IOException {
    assertThat(installed).extracting(Jdk::major).containsExactly(17, 25);
    assertThat(installed.getFirst().home()).isEqualTo(jvm.resolve("java-17-openjdk-amd64").toRealPath());
    assertThat(installed.getFirst().version()).isEqualTo("17.0.15");
  }

  @Test
  void anInstalledVersionIsUsedAsAsked() throws BuildFailure {
    JdkChoice choice = JdkChoice.choose(new JavaVersionRequest(25, "app.yaml runtime: java25"), installed);

    assertThat(choice.jdk().major()).isEqualTo(25);
    assertThat(choice.reason()).isEqualTo("app.yaml runtime: java25 asks for Java 25 (JDKs here: 17, 25)");
  }

  @Test
  void aVersionThatIsNotInstalledGetsTheLowestNewerOneWithANote() throws BuildFailure {
    JdkChoice choice = JdkChoice.choose(
        new JavaVersionRequest(21, "system.properties java.runtime.version=21"), installed);

    assertThat(choice.jdk().major()).isEqualTo(25);
    assertThat(choice.reason()).isEqualTo("system.properties java.runtime.version=21 asks for Java 21,"
        + " which is not installed here: using 25, the lowest installed version above it (JDKs here: 17, 25)");
  }

  @Test
  void anOldVersionGetsSeventeenAndNoRequestGetsTheDefaultSeventeen() throws BuildFailure {
    assertThat(JdkChoice.choose(new JavaVersionRequest(8, "x"), installed).jdk().major()).isEqualTo(17);
    JdkChoice none = JdkChoice.choose(JavaVersionRequest.NONE, installed);
    assertThat(none.jdk().major()).isEqualTo(17);
    assertThat(none.reason()).startsWith("no Java version asked for (set java.runtime.version in system.properties)");
  }

  @Test
  void aVersionNewerThanEveryInstalledJdkFailsNamingWhatIsInstalled() {
    assertThatThrownBy(() -> JdkChoice.choose(
            new JavaVersionRequest(26, "system.properties java.runtime.version=26"), installed))
        .isInstanceOf(BuildFailure.class)
        .hasMessage("system.properties java.runtime.version=26 asks for Java 26, but the newest JDK"
            + " on this Pier server is 25 (JDKs here: 17, 25)");
  }

  @Test
  void noJdkAtAllFailsSayingHowToInstallOne() {
    assertThatThrownBy(() -> JdkChoice.choose(JavaVersionRequest.NONE, List.of()))
        .hasMessageStartingWith("No JDK is installed on this Pier server");
  }
}
