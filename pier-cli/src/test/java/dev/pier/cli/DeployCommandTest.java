package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployCommandTest {
  @TempDir Path home;
  @TempDir Path dir;
  private FakePierApi api;
  private CliHarness cli;

  @BeforeEach
  void start() throws Exception {
    api = new FakePierApi();
    api.deployedApp("hello");
    cli = new CliHarness(home, api);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** An app source tree with things that must and must not be uploaded. */
  private Path sampleApp(Path app) throws IOException {
    write(app.resolve("package.json"), "{\"name\":\"hello\"}");
    write(app.resolve("index.js"), "console.log('hi')");
    write(app.resolve("src/lib/util.js"), "module.exports = 1");
    write(app.resolve("bin/start"), "#!/bin/sh\nnode index.js\n");
    Files.setPosixFilePermissions(app.resolve("bin/start"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(app.resolve("main.js"), Path.of("index.js"));
    write(app.resolve("node_modules/express/index.js"), "big");
    write(app.resolve("debug.log"), "ignored by .gitignore");
    write(app.resolve("secret/key.pem"), "ignored by .gitignore");
    write(app.resolve(".gitignore"), "*.log\nsecret/\n");
    return app;
  }

  /** Returns the entries of the last upload: name to "mode" or "-> target" for links. */
  private Map<String, String> uploadedEntries() throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GzipCompressorInputStream(new ByteArrayInputStream(api.lastUpload)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        entries.put(entry.getName(), entry.isSymbolicLink()
            ? "-> " + entry.getLinkName()
            : Integer.toOctalString(entry.getMode() & 07777));
      }
    }
    return entries;
  }

  @Test
  void deployInsideAGitWorkTreeUploadsWhatGitWouldTrackButNeverNodeModules() throws Exception {
    Path app = sampleApp(CliHarness.gitRepo(dir.resolve("app")));
    // Even a node_modules that .gitignore forgot stays out.

    var result = cli.runIn(app, "", "deploy", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(uploadedEntries()).containsOnlyKeys(
        ".gitignore", "bin/", "bin/start", "index.js", "main.js", "package.json",
        "src/", "src/lib/", "src/lib/util.js");
    assertThat(uploadedEntries())
        .containsEntry("bin/start", "755")
        .containsEntry("index.js", "644")
        .containsEntry("main.js", "-> index.js");
  }

  @Test
  void deployOfASubdirectoryOfARepositoryUploadsOnlyThatSubdirectory() throws Exception {
    Path repo = CliHarness.gitRepo(dir.resolve("repo"));
    write(repo.resolve("README.md"), "top");
    sampleApp(repo.resolve("services/web"));

    var result = cli.runIn(repo, "", "deploy", "services/web", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("Uploading services/web (");
    assertThat(uploadedEntries()).containsKey("index.js").doesNotContainKeys("README.md", "debug.log");
  }

  @Test
  void deployOutsideGitUploadsEverythingButNodeModulesAndDotGit() throws Exception {
    Path app = sampleApp(dir.resolve("app"));
    write(app.resolve(".git/config"), "not a real repository");

    var result = cli.runIn(app, "", "deploy", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(uploadedEntries()).containsKeys("debug.log", "secret/key.pem", "index.js", "main.js")
        .doesNotContainKeys("node_modules/", "node_modules/express/index.js", ".git/", ".git/config");
  }

  @Test
  void deployPrintsTheBuildOutputAndTheNewRelease() throws Exception {
    Path app = sampleApp(dir.resolve("app"));

    var result = cli.runIn(app, "", "deploy", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).matches("""
        Uploading \\. \\(\\d+(\\.\\d)? (B|KB)\\)\\.\\.\\.
        -----> Building with the nodejs buildpack
        -----> Launching\\.\\.\\.
        Released v4
        http://hello\\.localhost:8080/
        """);
  }

  @Test
  void aFailedBuildExitsWithOneAndShowsTheError() throws Exception {
    api.deployFailure = "npm ci failed (exit 1)";
    api.deployOutput = java.util.List.of("-----> Installing dependencies", "npm ERR! missing lockfile");

    var result = cli.runIn(sampleApp(dir.resolve("app")), "", "deploy", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("npm ERR! missing lockfile").doesNotContain("Released");
    assertThat(result.err()).isEqualTo(" !     Build failed: npm ci failed (exit 1)\n");
  }

  @Test
  void deployOfAnUnknownAppUploadsNothing() throws Exception {
    var result = cli.runIn(sampleApp(dir.resolve("app")), "", "deploy", "-a", "nope");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     app 'nope' not found\n");
    assertThat(api.lastUpload).isNull();
  }

  @Test
  void deployOfAMissingDirectoryFails() {
    var result = cli.runIn(dir, "", "deploy", "missing", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith(" !     Not a directory: ");
  }

  @Test
  void deployWithNoPromoteAsksForNoTrafficAndPrintsTheVersionUrl() throws Exception {
    var result = cli.runIn(sampleApp(dir.resolve("app")), "", "deploy", "--no-promote", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(api.requests("POST ")).containsExactly("POST /apps/hello/deploy?promote=false");
    assertThat(result.out()).contains("-----> Launching...\n")
        .endsWith("\nReleased v4 (not promoted): http://v4.hello.localhost:8080/\n");
    assertThat(cli.run("releases", "-a", "hello").out())
        .contains("Current: v3").containsPattern("\nv4 .* running\n");
  }

  @Test
  void aPlainDeployDoesNotAskToSkipPromotion() throws Exception {
    cli.runIn(sampleApp(dir.resolve("app")), "", "deploy", "-a", "hello");

    assertThat(api.requests("POST ")).containsExactly("POST /apps/hello/deploy");
  }

  @Test
  void aDeployWhoseStreamEndsWithoutAResultFails() throws Exception {
    api.deployOutput = java.util.List.of("-----> Building");
    api.deployFailure = null;
    api.dropDeployResult = true;

    var result = cli.runIn(sampleApp(dir.resolve("app")), "", "deploy", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("-----> Building");
    assertThat(result.err())
        .isEqualTo(" !     Build failed: the connection closed before Pier reported a result\n");
  }

  @Test
  void theVersionUrlKeepsTheWebUrlsHostAndPort() {
    assertThat(DeployCommand.versionUrl("http://hello.example.com/", "v7")).isEqualTo("http://v7.hello.example.com/");
    assertThat(DeployCommand.versionUrl("http://hello.localhost:8080/", "v2"))
        .isEqualTo("http://v2.hello.localhost:8080/");
  }
}
