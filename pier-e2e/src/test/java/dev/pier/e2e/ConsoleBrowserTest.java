package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium: login, apps list, instances, charts, a traffic
 * split made in the page and checked through the router, live logs, and the CSRF rule for
 * cookie-authenticated API calls. Screenshots of each page land in target/console-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  private static final String APP = "consoled";
  private static final Path SHOTS = Path.of("target", "console-screenshots");

  @TempDir static Path tmp;
  PlatformHarness pier;
  WebDriver browser;
  WebDriverWait wait;
  String console;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void deployTwoVersionsWithTrafficAndOpenABrowser() throws Exception {
    pier = new PlatformHarness(tmp.resolve("pier"), s -> s.withBootTimeout(Duration.ofSeconds(10)));
    pier.login();
    // The app logs the decoded path, so a request can put ANSI colours and markup in its log.
    Path repo = pier.repo(APP, decodedPathLogger(SampleApps.nodeHello(1)));
    PlatformHarness.check(pier.cli(repo, "apps:create", APP));
    PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
    PlatformHarness.check(pier.cli(repo, "domains:add", "www.console-shop.test")); // #12
    PlatformHarness.write(repo, decodedPathLogger(SampleApps.nodeHello(2)));
    pier.commitAll(repo, "v2");
    PlatformHarness.check(pier.git(repo, "push", "-o", "no-promote", "pier", "main"));
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 20; i++) assertThat(pier.get(APP, "/warm/" + i).status()).isEqualTo(200);
      pier.sampleMetricsNow();
      Thread.sleep(200);
    }
    console = "http://127.0.0.1:" + URI.create(pier.apiUrl()).getPort() + "/console/";

    System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    Path profile = Files.createDirectories(tmp.resolve("chromium-profile"));
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", "--user-data-dir=" + profile, "--window-size=1280,1000");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1280, 1000));
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    // Pages re-render their tables as data comes in: an element found a moment ago may be gone.
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.quit();
    if (pier != null) pier.close();
  }

  @Test
  @Order(1)
  void aWrongTokenShowsAnErrorOnTheLoginPage() throws Exception {
    browser.get(console);
    wait.until(ExpectedConditions.urlContains("/console/login"));
    logInWith("pier_not_the_right_token_000000");
    WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
    assertThat(error.getText()).contains("not valid");
    screenshot("login");
  }

  @Test
  @Order(2)
  void loggingInShowsTheAppsListWithUrlReleaseAndFormation() throws Exception {
    logInWith(PlatformHarness.TOKEN);
    WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-app='" + APP + "']")));
    assertThat(row.getText()).contains(APP).contains("http://" + APP + ".localhost").contains("v1").contains("web=1");
    screenshot("apps");
  }

  @Test
  @Order(3)
  void theAppPageListsInstancesWithTheirMemory() throws Exception {
    browser.findElement(By.cssSelector("tr[data-app='" + APP + "'] a.app-link")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("versions")));
    assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app-domains"))).getText())
        .isEqualTo("Custom domains: www.console-shop.test"); // #12
    browser.findElement(By.id("tab-link-instances")).click();
    WebElement table = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("instances")));
    wait.until(d -> table.getText().contains("v2"));
    String text = table.getText();
    assertThat(text).contains("web.1").contains("v1").contains("v2").contains("up");
    // memory in MB from the metrics sample: a number, not the placeholder
    assertThat(text).containsPattern("\\d+\\.\\d");
    screenshot("instances");
  }

  @Test
  @Order(4)
  void chartsDrawResponseTimeThroughputMemoryAndCpuAsPolylines() throws Exception {
    browser.findElement(By.id("tab-link-charts")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chart-latency")));
    for (String id : List.of("chart-latency", "chart-throughput", "chart-memory", "chart-cpu")) {
      List<WebElement> lines = browser.findElements(By.cssSelector("#" + id + " polyline"));
      assertThat(lines).as(id).isNotEmpty();
      assertThat(lines.getFirst().getAttribute("points")).as(id).matches("[\\d.]+,[\\d.]+( [\\d.]+,[\\d.]+)+");
    }
    assertThat(browser.findElements(By.cssSelector("#chart-latency polyline"))).hasSize(3);
    screenshot("charts");
  }

  @Test
  @Order(5)
  void splittingTrafficFiftyFiftyInTheConsoleSendsRequestsToBothVersions() throws Exception {
    browser.findElement(By.id("tab-link-versions")).click();
    WebElement v1 = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("share-v1")));
    WebElement v2 = browser.findElement(By.id("share-v2"));
    v1.clear();
    v1.sendKeys("50");
    v2.clear();
    v2.sendKeys("50");
    browser.findElement(By.id("apply-split")).click();
    String outcome = new WebDriverWait(browser, Duration.ofSeconds(30))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> {
          String text = d.findElement(By.id("traffic-output")).getText();
          return text.contains("Succeeded") || text.contains("Failed") ? text : null;
        });
    assertThat(outcome).contains("Succeeded");
    // both versions now take public traffic (the newest one becomes "current", the other "serving")
    for (String v : List.of("1", "2")) {
      wait.until(d -> d.findElement(By.cssSelector("tr[data-version='" + v + "']")).getText().matches("(?s).*(current|serving).*"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      PlatformHarness.Response r = pier.get(APP, "/");
      assertThat(r.status()).isEqualTo(200);
      Matcher m = Pattern.compile("\"version\":(\\d+)").matcher(r.body());
      if (m.find()) seen.add(m.group(1));
    }
    assertThat(seen).containsExactlyInAnyOrder("1", "2");
    screenshot("versions");
  }

  @Test
  @Order(6)
  void liveLogsShowANewRequestAndSearchFindsIt() throws Exception {
    browser.findElement(By.id("tab-link-logs")).click();
    WebElement status = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("log-status")));
    wait.until(d -> status.getText().equals("connected"));
    String marker = "marker-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(pier.get(APP, "/" + marker).status()).isEqualTo(200);
    WebElement view = browser.findElement(By.id("log-view"));
    wait.until(d -> view.getText().contains("handled GET /" + marker));
    browser.findElement(By.id("log-query")).sendKeys(marker);
    browser.findElement(By.cssSelector("#log-search button")).click();
    WebElement found = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("log-search-view")));
    assertThat(found.getText()).contains(marker);
    screenshot("logs");

    // Only the router's lines: the live view reconnects with the filter.
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("log-source"))).selectByValue("router");
    wait.until(d -> status.getText().equals("connected"));
    String routed = "routed-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(pier.get(APP, "/" + routed).status()).isEqualTo(200);
    wait.until(d -> view.getText().contains("path=\"/" + routed + "\""));
    assertThat(view.getText()).contains("pier[router]").doesNotContain(" app[");
    screenshot("logs-router-only");
  }

  @Test
  @Order(7)
  void settingAConfigVarInTheConsoleMakesAReleaseListedOnTheReleasesPage() throws Exception {
    browser.findElement(By.id("tab-link-config")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("config-form")));
    browser.findElement(By.id("config-key")).sendKeys("GREETING");
    browser.findElement(By.id("config-value")).sendKeys("howdy");
    browser.findElement(By.id("config-set")).click();
    WebElement row = new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-key='GREETING']")));
    assertThat(row.getText()).contains("••••••").doesNotContain("howdy");
    row.findElement(By.cssSelector("button[data-reveal='GREETING']")).click();
    assertThat(row.getText()).contains("howdy");
    assertThat(browser.findElement(By.id("config-result")).getText()).contains("release v3");
    screenshot("config");
    browser.findElement(By.id("tab-link-releases")).click();
    WebElement releases = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("releases")));
    assertThat(releases.getText()).contains("v1").contains("v2").contains("v3").contains("Set GREETING config vars");
    assertThat(browser.findElements(By.id("rollback-v1"))).isNotEmpty();
    screenshot("releases");
    browser.findElement(By.id("tab-link-builds")).click();
    WebElement builds = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("builds")));
    assertThat(builds.getText()).contains("succeeded").contains("v1").contains("v2").contains("#1").contains("#2");
    builds.findElements(By.tagName("button")).getLast().click();
    WebElement output = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("build-output")));
    assertThat(output.getText()).contains("-----> ").contains("Released v1");
    screenshot("builds");
  }

  @Test
  @Order(8)
  void theCronPageShowsScheduledJobsAndTheirLastRuns() throws Exception {
    Path cwd = tmp.resolve("pier");
    PlatformHarness.Result added = PlatformHarness.check(
        pier.cli(cwd, "cron:add", "0 3 * * *", "echo nightly-report", "-a", APP));
    String id = added.out().split(" ")[2];
    PlatformHarness.check(pier.cli(cwd, "cron:run", id, "-a", APP));
    browser.findElement(By.id("tab-link-cron")).click();
    WebElement jobs = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("cron-jobs")));
    assertThat(jobs.getText()).contains("#" + id).contains("0 3 * * *").contains("echo nightly-report");
    WebElement runs = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("cron-runs")));
    assertThat(runs.getText()).contains("manual").contains("pier logs -a " + APP + " --dyno scheduler.");
    screenshot("cron");
  }

  @Test
  @Order(9)
  void theDomainsPageShowsTheAppsDomainsAndCertificatesWithTheirExpiry() throws Exception {
    Path cwd = tmp.resolve("pier");
    dev.pier.router.tls.PierCa other = dev.pier.router.tls.PierCa.create("Console Test CA");
    java.time.Instant soon = java.time.Instant.now().plus(Duration.ofDays(12));
    dev.pier.router.tls.IssuedCertificate own = other.issue(List.of("www.console-shop.test"),
        java.time.Instant.now().minusSeconds(60), soon);
    Path cert = cwd.resolve("console-cert.pem");
    Path key = cwd.resolve("console-key.pem");
    Files.writeString(cert, String.join("", own.chain().stream().map(dev.pier.router.tls.PierCa.Pem::encode).toList()));
    Files.writeString(key, dev.pier.router.tls.PierCa.Pem.encode(own.key()));
    PlatformHarness.check(pier.cli(cwd, "certs:add", cert.toString(), key.toString(), "-a", APP));

    browser.findElement(By.id("tab-link-domains")).click();
    WebElement domains = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app-domain-list")));
    assertThat(domains.getText()).contains(APP + ".localhost").contains("built-in")
        .contains("www.console-shop.test").contains("custom");
    WebElement uploaded = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-cert='1']")));
    assertThat(uploaded.getText()).contains("www.console-shop.test").contains("CN=Console Test CA")
        .contains(soon.toString().substring(0, 10)).contains("expiring").contains("uploaded");
    WebElement auto = browser.findElement(By.cssSelector("tr[data-cert='pier-ca']"));
    assertThat(auto.getText()).contains(APP + ".localhost").contains("pier-ca").contains("valid").contains("Pier CA");
    assertThat(browser.findElement(By.id("app-features")).getText()).contains("https-only: off");
    screenshot("domains");
  }

  @Test
  @Order(10)
  void logsShowAnsiColoursAndMarkupAsTextConfigValuesStayMaskedAndAppsAreScaledCreatedAndDestroyed() throws Exception {
    String app = "/apps/" + APP + "/";
    browser.get(console + "#" + app + "logs");
    WebElement status = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("log-status")));
    wait.until(d -> status.getText().equals("connected"));
    String marker = UUID.randomUUID().toString().substring(0, 8);
    assertThat(pier.get(APP, "/%1B%5B32mgreen-" + marker + "%1B%5B0m-plain%1B%5B2K").status()).isEqualTo(200);
    assertThat(pier.get(APP, "/" + marker + "%3Cimg%20src=x%20onerror=alert(1)%3E").status()).isEqualTo(200);
    WebElement view = browser.findElement(By.id("log-view"));
    wait.until(d -> view.getText().contains(marker + "<img src=x onerror=alert(1)>"));
    WebElement green = view.findElement(By.xpath(".//span[text()='green-" + marker + "']"));
    assertThat(green.getCssValue("color")).isEqualTo("rgba(13, 188, 121, 1)");
    assertThat(view.getText()).contains("handled GET /green-" + marker + "-plain").doesNotContain("[32m").doesNotContain("[0m");
    assertThat(view.findElements(By.tagName("img"))).isEmpty();
    screenshot("logs-ansi");

    browser.findElement(By.id("tab-link-config")).click();
    WebElement value = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("code[data-value-of='GREETING']")));
    assertThat(value.getText()).isEqualTo("••••••");
    WebElement reveal = browser.findElement(By.cssSelector("button[data-reveal='GREETING']"));
    reveal.click();
    assertThat(value.getText()).isEqualTo("howdy");
    assertThat(reveal.getText()).isEqualTo("Hide");
    reveal.click();
    assertThat(value.getText()).isEqualTo("••••••");

    browser.findElement(By.id("tab-link-instances")).click();
    WebElement web = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("scale-web")));
    web.clear();
    web.sendKeys("2");
    browser.findElement(By.id("scale-apply")).click();
    wait.until(d -> d.findElement(By.id("app-summary")).getText().contains("web=2"));
    PlatformHarness.check(pier.cli(tmp.resolve("pier"), "ps:scale", "web=1", "-a", APP));

    // builds are numbered per app: the CLI lists and finds them by that number
    String listed = PlatformHarness.check(pier.cli(tmp.resolve("pier"), "builds", "-a", APP)).out();
    assertThat(listed).containsPattern("(?m)^NUMBER\\s+STATUS").containsPattern("(?m)^2\\s+succeeded");
    assertThat(PlatformHarness.check(pier.cli(tmp.resolve("pier"), "builds:info", "2", "-a", APP)).out())
        .contains("Build 2").containsPattern("Release:?\\s+v2");

    String made = "made-" + marker;
    browser.get(console + "#/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-name"))).sendKeys(made);
    browser.findElement(By.id("create-app")).click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("main h2"), made));
    browser.findElement(By.id("tab-link-instances")).click();
    WebElement confirm = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("destroy-confirm")));
    WebElement destroy = browser.findElement(By.id("destroy-app"));
    confirm.sendKeys("made-");
    assertThat(destroy.isEnabled()).isFalse();
    confirm.sendKeys(marker);
    assertThat(destroy.isEnabled()).isTrue();
    screenshot("destroy");
    destroy.click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-app='" + APP + "']")));
    assertThat(browser.findElements(By.cssSelector("tr[data-app='" + made + "']"))).isEmpty();
    assertThat(PlatformHarness.check(pier.cli(tmp.resolve("pier"), "apps")).out()).doesNotContain(made);
  }

  @Test
  @Order(11)
  void aStateChangingApiCallWithTheSessionCookieNeedsTheCsrfToken() throws Exception {
    String cookie = "pier_console=" + browser.manage().getCookieNamed("pier_console").getValue();
    String api = "http://127.0.0.1:" + URI.create(pier.apiUrl()).getPort();

    HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create(api + "/apps")).header("Cookie", cookie).GET());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).contains(APP);

    String retention = api + "/apps/" + APP + "/logs/retention";
    HttpResponse<String> noToken = send(HttpRequest.newBuilder(URI.create(retention)).header("Cookie", cookie)
        .PUT(HttpRequest.BodyPublishers.ofString("{\"days\":9}")));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.headers().firstValue("content-type").orElseThrow()).startsWith("application/problem+json");
    assertThat(noToken.body()).contains("\"code\":\"forbidden\"").contains("X-CSRF-Token");

    HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(retention)).header("Cookie", cookie)
        .header("X-CSRF-Token", "forged").PUT(HttpRequest.BodyPublishers.ofString("{\"days\":9}")));
    assertThat(wrong.statusCode()).isEqualTo(403);

    HttpResponse<String> session = send(HttpRequest.newBuilder(URI.create(api + "/console/session")).header("Cookie", cookie).GET());
    Matcher csrf = Pattern.compile("\"csrf_token\":\"([^\"]+)\"").matcher(session.body());
    assertThat(csrf.find()).as(session.body()).isTrue();
    HttpResponse<String> withToken = send(HttpRequest.newBuilder(URI.create(retention)).header("Cookie", cookie)
        .header("X-CSRF-Token", csrf.group(1)).PUT(HttpRequest.BodyPublishers.ofString("{\"days\":9}")));
    assertThat(withToken.statusCode()).isEqualTo(200);
    assertThat(withToken.body()).contains("9");
  }

  @Test
  @Order(12)
  void theAddOnsPageShowsAPostgresAddOnsStatusSizeConnectionsAndBackups() throws Exception { // #11
    Path cwd = tmp.resolve("pier");
    PlatformHarness.check(pier.cli(cwd, "apps:create", "console-db"));
    PlatformHarness.check(pier.cli(cwd, "addons:create", "postgres", "--as", "console-db-pg", "-a", "console-db"));
    PlatformHarness.check(pier.cli(cwd, "pg:backups:capture", "-a", "console-db"));
    browser.get(console + "#/apps/console-db/addons");
    WebElement table = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("addons")));
    assertThat(table.getText()).contains("console-db-pg").contains("postgres:small").contains("running")
        .contains("PostgreSQL").contains("MB").contains("1, last b001").contains("DATABASE_URL");
    screenshot("addons");
  }

  @Test
  @Order(13)
  void loggingOutEndsTheSessionForThePageAndTheApi() throws Exception {
    String cookie = "pier_console=" + browser.manage().getCookieNamed("pier_console").getValue();
    browser.findElement(By.id("logout-button")).click();
    wait.until(ExpectedConditions.urlContains("/console/login"));
    browser.get(console);
    wait.until(ExpectedConditions.urlContains("/console/login"));
    String api = "http://127.0.0.1:" + URI.create(pier.apiUrl()).getPort();
    HttpResponse<String> after = send(HttpRequest.newBuilder(URI.create(api + "/apps")).header("Cookie", cookie).GET());
    assertThat(after.statusCode()).isEqualTo(401);
  }

  private static java.util.Map<String, String> decodedPathLogger(java.util.Map<String, String> files) {
    files.put("server.js", files.get("server.js").replace("' ' + req.url", "' ' + decodeURIComponent(req.url)"));
    return files;
  }

  private void logInWith(String token) {
    WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    field.clear();
    field.sendKeys(token);
    browser.findElement(By.id("login-button")).click();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void screenshot(String page) throws IOException {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SHOTS.resolve(page + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
