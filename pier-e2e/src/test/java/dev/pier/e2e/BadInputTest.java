package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Result;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input gets a clear message and a non-zero exit or 4xx, and stores nothing. */
class BadInputTest {
  @TempDir static Path tmp;
  static PlatformHarness pier;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    pier = new PlatformHarness(tmp, s -> s.withMaxUploadBytes(1 << 20));
    pier.login();
  }

  @AfterAll
  static void stop() {
    pier.close();
  }

  @Test
  void invalidAppNameIsRefusedByApiAndCli() throws Exception {
    HttpResponse<String> r = api("POST", "/apps", "{\"name\":\"Bad_Name!\"}", PlatformHarness.TOKEN);
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
    assertThat(r.body()).contains("invalid app name");
    Result cli = pier.cli(tmp, "apps:create", "UPPER");
    assertThat(cli.exit()).isNotZero();
    assertThat(cli.err()).containsIgnoringCase("invalid app name");
  }

  @Test
  void takenAppNameIsAConflictAndTheFirstAppStays() throws Exception {
    PlatformHarness.check(pier.cli(tmp, "apps:create", "taken-name", "--no-remote"));
    Result again = pier.cli(tmp, "apps:create", "taken-name", "--no-remote");
    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).contains("already taken");
    assertThat(api("GET", "/apps/taken-name", null, PlatformHarness.TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void unknownAppIsNotFound() throws Exception {
    assertThat(api("GET", "/apps/no-such-app", null, PlatformHarness.TOKEN).statusCode()).isEqualTo(404);
    Result cli = pier.cli(tmp, "ps", "-a", "no-such-app");
    assertThat(cli.exit()).isNotZero();
    assertThat(cli.err()).contains("no-such-app").contains("not found");
  }

  @Test
  void missingOrWrongTokenIsUnauthorizedForApiAndGit() throws Exception {
    assertThat(api("GET", "/apps", null, null).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = api("GET", "/apps", null, "wrong-token-wrong-token");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("unauthorized");

    PlatformHarness.check(pier.cli(tmp, "apps:create", "guarded", "--no-remote"));
    Path repo = pier.repo("guarded", SampleApps.nodeHello(1));
    String port = pier.apiUrl().replaceAll(".*:", "");
    Result push = pier.git(repo, "push", "http://x:wrong-token@127.0.0.1:" + port + "/git/guarded.git", "main");
    assertThat(push.exit()).isNotZero();
    assertThat(push.err()).containsIgnoringCase("authentication failed");
    Result noAuth = pier.git(repo, "push", "http://127.0.0.1:" + port + "/git/guarded.git", "main");
    assertThat(noAuth.exit()).isNotZero();
  }

  @Test
  void unauthenticatedRequestsGet401WhateverThePathOrMethod() throws Exception {
    for (String[] request : new String[][] {{"DELETE", "/apps"}, {"PUT", "/"}, {"GET", "/no-such-endpoint"},
        {"POST", "/apps/someone/rollback"}}) {
      HttpResponse<String> r = api(request[0], request[1], null, null);
      assertThat(r.statusCode()).as(request[0] + " " + request[1]).isEqualTo(401);
      assertThat(r.body()).contains("API token missing");
    }
    assertThat(api("DELETE", "/apps", null, PlatformHarness.TOKEN).statusCode()).isEqualTo(405);
    assertThat(api("GET", "/no-such-endpoint", null, PlatformHarness.TOKEN).statusCode()).isEqualTo(404);
  }

  @Test
  void aTokenWithExtraSpacesIsADifferentTokenAndIsRefused() throws Exception {
    HttpRequest doubleSpace = HttpRequest.newBuilder(URI.create(pier.apiUrl() + "/apps"))
        .header("Authorization", "Bearer  " + PlatformHarness.TOKEN).build();
    assertThat(HTTP.send(doubleSpace, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    HttpRequest basicWithSpace = HttpRequest.newBuilder(URI.create(pier.apiUrl() + "/git/nope.git/info/refs?service=git-upload-pack"))
        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
            ("x:" + PlatformHarness.TOKEN + " ").getBytes(StandardCharsets.UTF_8))).build();
    assertThat(HTTP.send(basicWithSpace, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }

  @Test
  void anEncodedSlashInAPathIsAProblemNotAnHtmlPage() throws Exception {
    for (String token : new String[] {PlatformHarness.TOKEN, null}) {
      HttpResponse<String> r = api("GET", "/apps/a%2Fb/config", null, token);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
      assertThat(r.body()).contains("\"status\":400").contains("Ambiguous URI path separator").doesNotContain("<html");
    }
  }

  @Test
  void pushToAnotherBranchBuildsAPreviewNotAVersionOfTheApp() throws Exception {
    PlatformHarness.check(pier.cli(tmp, "apps:create", "branchy", "--no-remote"));
    Path repo = pier.repo("branchy", SampleApps.nodeHello(1));
    PlatformHarness.check(pier.cli(repo, "git:remote", "-a", "branchy"));
    Result push = pier.git(repo, "push", "pier", "main:feature");
    assertThat(push.exit()).isZero();
    assertThat(push.err()).contains("Preview feature deployed to http://feature.branchy.localhost");
    assertThat(api("GET", "/apps/branchy/versions", null, PlatformHarness.TOKEN).body()).contains("\"versions\":[]");
    assertThat(pier.get("branchy", "/").status()).isNotEqualTo(200);
    Result tag = pier.git(repo, "push", "pier", "main:refs/tags/v1");
    assertThat(tag.exit()).isZero();
    assertThat(tag.err()).contains("not built").contains("main or master");
  }

  @Test
  void malformedProcfileAppYamlAndPackageJsonNameFileAndLine() throws Exception {
    assertPushFails("bad-procfile", Map.of("Procfile", "web: node server.js\nthis is not a process line\n",
        "server.js", "console.log(1)\n"), "Procfile", "line 2");
    assertPushFails("bad-yaml", Map.of("app.yaml", "runtime: nodejs\nentrypoint: [unclosed\n",
        "package.json", "{\"name\":\"x\"}\n", "server.js", "\n"), "app.yaml", "line");
    assertPushFails("bad-json", Map.of("package.json", "{\n  \"name\": \"x\",\n  \"scripts\": {\n}\n",
        "server.js", "\n"), "package.json", "line");
  }

  @Test
  void failingNpmInstallShowsNpmErrorAndFailsThePush() throws Exception {
    assertPushFails("bad-dep", Map.of("package.json",
        "{\"name\":\"x\",\"version\":\"1.0.0\",\"scripts\":{\"start\":\"node server.js\"},"
            + "\"dependencies\":{\"pier-no-such-package-xyz-404\":\"1.0.0\"}}\n",
        "server.js", "\n"), "npm", "404");
  }

  @Test
  void uploadsEscapingTheDirectoryAreRefusedBeforeBuilding() throws Exception {
    PlatformHarness.check(pier.cli(tmp, "apps:create", "uploads", "--no-remote"));
    assertUploadRefused(tarGz(entry("../evil.txt", "x")), 400, "..");
    assertUploadRefused(tarGz(entry("/etc/evil.txt", "x")), 400, "absolute");
    TarArchiveEntry link = new TarArchiveEntry("leak", TarArchiveEntry.LF_SYMLINK);
    link.setLinkName("../../../../etc/shadow");
    assertUploadRefused(tarGz(new Object[] {link, null}), 400, "outside");
    byte[] big = new byte[2 << 20];
    new java.util.Random(1).nextBytes(big);
    assertUploadRefused(tarGz(new Object[] {fileEntry("big.bin", big.length), big}), 413, "limit");
    assertThat(api("GET", "/apps/uploads/releases", null, PlatformHarness.TOKEN).body()).isEqualTo("[]");
  }

  @Test
  void uploadsWithFifosDevicesOrNothingInThemAreRefusedClearly() throws Exception {
    PlatformHarness.check(pier.cli(tmp, "apps:create", "specials", "--no-remote"));
    TarArchiveEntry fifo = new TarArchiveEntry("run/pipe", TarArchiveEntry.LF_FIFO);
    assertUploadRefused("specials", tarGz(entry("server.js", "x"), new Object[] {fifo, null}), 422,
        "refused entry 'run/pipe': a FIFO");
    TarArchiveEntry device = new TarArchiveEntry("dev/zero", TarArchiveEntry.LF_CHR);
    assertUploadRefused("specials", tarGz(new Object[] {device, null}), 422, "refused entry 'dev/zero': a character device");
    assertUploadRefused("specials", new byte[0], 400, "the upload is empty");
    assertUploadRefused("specials", tarGz(), 422, "the upload is empty");
    assertThat(api("GET", "/apps/specials/releases", null, PlatformHarness.TOKEN).body()).isEqualTo("[]");
  }

  @Test
  void rollbackToAnUnknownVersionIs404AndABadStepIs422BeforeAnythingStarts() throws Exception {
    PlatformHarness.check(pier.cli(tmp, "apps:create", "stepper", "--no-remote"));
    HttpResponse<String> rollback = api("POST", "/apps/stepper/rollback", "{\"version\":42}", PlatformHarness.TOKEN);
    assertThat(rollback.statusCode()).isEqualTo(404);
    assertThat(rollback.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
    assertThat(rollback.body()).contains("has no version v42");
    Result cli = pier.cli(tmp, "rollback", "v42", "-a", "stepper");
    assertThat(cli.exit()).isNotZero();
    assertThat(cli.err()).contains("has no version v42");

    for (String step : new String[] {"-1", "0", "\"5\"", "2.5", "99999", "99999999999", "1e9"}) {
      HttpResponse<String> r = api("POST", "/apps/stepper/traffic/migrate",
          "{\"version\":1,\"gradual\":true,\"step_seconds\":" + step + "}", PlatformHarness.TOKEN);
      assertThat(r.statusCode()).as(step).isEqualTo(422);
      assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
      assertThat(r.body()).contains("step_seconds must be a whole number of seconds from 1 to 3600");
    }
    Result huge = pier.cli(tmp, "traffic:migrate", "v1", "--gradual", "--step-seconds", "99999", "-a", "stepper");
    assertThat(huge.exit()).isNotZero();
    assertThat(huge.err()).contains("step_seconds must be a whole number of seconds from 1 to 3600");
  }

  @Test
  void unsetOfAVarThatIsNotSetMakesNoReleaseAndRestartsNothing() throws Exception {
    PlatformHarness.check(pier.cli(tmp, "apps:create", "unsetter", "--no-remote"));
    Path repo = pier.repo("unsetter", SampleApps.nodeHello(1));
    PlatformHarness.check(pier.cli(repo, "git:remote", "-a", "unsetter"));
    PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
    String releases = api("GET", "/apps/unsetter/releases", null, PlatformHarness.TOKEN).body();
    String instances = sameInstances(api("GET", "/apps/unsetter/ps", null, PlatformHarness.TOKEN).body());

    Result unset = pier.cli(repo, "config:unset", "MISSING");
    assertThat(unset.exit()).as(unset.all()).isZero();
    assertThat(unset.out()).contains("MISSING is not set, nothing changed");
    HttpResponse<String> api = api("PATCH", "/apps/unsetter/config", "{\"MISSING\":null}", PlatformHarness.TOKEN);
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).contains("\"release\":null").contains("\"not_set\":[\"MISSING\"]");

    assertThat(api("GET", "/apps/unsetter/releases", null, PlatformHarness.TOKEN).body()).isEqualTo(releases);
    assertThat(sameInstances(api("GET", "/apps/unsetter/ps", null, PlatformHarness.TOKEN).body()))
        .isEqualTo(instances);
  }

  /** The instances of a ps answer without what changes while they run (uptime, memory used). */
  private static String sameInstances(String ps) {
    return ps.replaceAll("\"(uptime_seconds|memory_used_mb)\":\\d+", "");
  }

  @Test
  void drainsToThisMachineAreRefusedUnlessTheOperatorAllowsThem() throws Exception {
    PlatformHarness.check(pier.cli(tmp, "apps:create", "drained", "--no-remote"));
    String apiPort = pier.apiUrl().replaceAll(".*:", "");
    for (String url : new String[] {"syslog+tcp://127.0.0.1:5514", "http://localhost:" + apiPort + "/apps",
        "http://[::1]:" + pier.routerPort() + "/", "https://169.254.169.254/latest/meta-data/", "syslog+tcp://0.0.0.0:514"}) {
      HttpResponse<String> r = api("POST", "/apps/drained/drains", "{\"url\":\"" + url + "\"}", PlatformHarness.TOKEN);
      assertThat(r.statusCode()).as(url).isEqualTo(422);
      assertThat(r.body()).contains("PIER_ALLOW_LOCAL_DRAINS=1");
    }
    Result cli = pier.cli(tmp, "drains:add", "syslog+tcp://127.0.0.1:5514", "-a", "drained");
    assertThat(cli.exit()).isNotZero();
    assertThat(cli.err()).contains("points at this machine's loopback address (127.0.0.1)");
    assertThat(api("GET", "/apps/drained/drains", null, PlatformHarness.TOKEN).body()).isEqualTo("[]");
  }

  @Test
  void scaleWithUnknownTypeOrNegativeCountIsRefused() throws Exception {
    PlatformHarness.check(pier.cli(tmp, "apps:create", "scaly", "--no-remote"));
    Path repo = pier.repo("scaly", SampleApps.nodeHello(1));
    PlatformHarness.check(pier.cli(repo, "git:remote", "-a", "scaly"));
    PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
    Result unknown = pier.cli(repo, "ps:scale", "worker=1");
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err()).contains("worker");
    Result negative = pier.cli(repo, "ps:scale", "web=-1");
    assertThat(negative.exit()).isNotZero();
    HttpResponse<String> api = api("PATCH", "/apps/scaly/formation", "{\"web\":-1}", PlatformHarness.TOKEN);
    assertThat(api.statusCode()).isEqualTo(422);
    assertThat(api("GET", "/apps/scaly/formation", null, PlatformHarness.TOKEN).body()).contains("\"web\":1");
  }

  @Test
  void malformedConfigSetPairIsRefusedAndNothingChanges() throws Exception {
    PlatformHarness.check(pier.cli(tmp, "apps:create", "configured", "--no-remote"));
    PlatformHarness.check(pier.cli(tmp, "config:set", "GOOD=1", "-a", "configured"));
    Result bad = pier.cli(tmp, "config:set", "NOEQUALS", "-a", "configured");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("NOEQUALS");
    HttpResponse<String> api = api("PATCH", "/apps/configured/config", "{\"1BAD\":\"x\"}", PlatformHarness.TOKEN);
    assertThat(api.statusCode()).isEqualTo(422);
    assertThat(api("GET", "/apps/configured/config", null, PlatformHarness.TOKEN).body()).isEqualTo("{\"GOOD\":\"1\"}");
  }

  private void assertPushFails(String app, Map<String, String> files, String... expected) throws Exception {
    PlatformHarness.check(pier.cli(tmp, "apps:create", app, "--no-remote"));
    Path repo = pier.repo(app, files);
    PlatformHarness.check(pier.cli(repo, "git:remote", "-a", app));
    Result push = pier.git(repo, "push", "pier", "main");
    assertThat(push.exit()).as(push.all()).isNotZero();
    assertThat(push.err()).contains(expected).contains("build failed");
    assertThat(api("GET", "/apps/" + app + "/releases", null, PlatformHarness.TOKEN).body()).isEqualTo("[]");
  }

  private void assertUploadRefused(byte[] body, int status, String detail) throws Exception {
    assertUploadRefused("uploads", body, status, detail);
  }

  private void assertUploadRefused(String app, byte[] body, int status, String detail) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(pier.apiUrl() + "/apps/" + app + "/deploy"))
        .header("Authorization", "Bearer " + PlatformHarness.TOKEN)
        .header("Content-Type", "application/gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .timeout(Duration.ofSeconds(30))
        .build();
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).contains(detail);
  }

  static HttpResponse<String> api(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pier.apiUrl() + path)).timeout(Duration.ofSeconds(30));
    if (token != null) b.header("Authorization", "Bearer " + token);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Object[] entry(String name, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new Object[] {fileEntry(name, bytes.length), bytes};
  }

  private static TarArchiveEntry fileEntry(String name, long size) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(size);
    e.setMode(0644);
    return e;
  }

  private static byte[] tarGz(Object[]... entries) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Object[] e : entries) {
        tar.putArchiveEntry((TarArchiveEntry) e[0]);
        if (e[1] != null) tar.write((byte[]) e[1]);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

}
