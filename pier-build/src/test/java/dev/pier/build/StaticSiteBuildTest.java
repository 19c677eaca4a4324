package dev.pier.build;

import static dev.pier.build.TestApps.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.build.BuildResult.Failed;
import dev.pier.build.BuildResult.Succeeded;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Static sites built through the real sandbox; no network needed. */
@Timeout(30)
class StaticSiteBuildTest {
  @TempDir Path tmp;
  @RegisterExtension final BuildLog log = new BuildLog();
  private final List<String> output = log.lines();
  private final BuildOutput out = log.out();
  private Builder builder;
  private BuildRequest request;
  private Path src;

  @BeforeEach
  void setUp() throws IOException {
    TestApps.assumeSandboxAvailable();
    builder = Builder.standard(Sandbox.system());
    request = TestApps.request(tmp, Map.of());
    src = request.sourceDir();
  }


  @Test
  void aStaticJsonSiteHasNoProcessTypesAndItsSlugHoldsOnlyItsRootPrecompressed() throws IOException {
    write(src, "static.json", """
        {"root": "www", "clean_urls": true, "routes": {"/**": "index.html"},
         "redirects": {"/old": {"url": "/", "status": 302}}, "error_page": "404.html",
         "headers": {"/assets/**": {"Cache-Control": "max-age=60"}}}
        """);
    write(src, "www/index.html", "<h1>hi</h1>");
    write(src, "www/assets/app.js", "console.log('static');\n".repeat(100));
    write(src, "README.md", "not served");

    BuildResult result = builder.build(request, out);

    assertThat(result).isInstanceOf(Succeeded.class);
    Succeeded ok = (Succeeded) result;
    assertThat(ok.buildpack()).isEqualTo("static");
    assertThat(ok.processTypes()).isEmpty();
    assertThat(ok.staticSite()).isTrue();
    assertThat(TestApps.slugEntries(ok.slug()).keySet()).contains(
        "site/index.html", "site/assets/app.js", "site/assets/app.js.gz", "pier-static.json");
    assertThat(TestApps.slugEntries(ok.slug()).keySet()).noneMatch(n -> n.contains("README"));
    String config = TestApps.slugText(ok.slug(), "pier-static.json");
    assertThat(config).contains("\"root\" : \"site\"", "\"clean_urls\" : true", "\"/**\" : \"index.html\"");
    assertThat(output).contains("       None: the router serves this static site from its files");
    assertThat(output).anyMatch(l -> l.contains("static.json error_page \"404.html\" is not a file"));
  }

  @Test
  void aRootReachedThroughASymlinkIsRefusedAndNothingOutsideTheAppIsTouched() throws IOException {
    Path outside = tmp.resolve("outside");
    write(outside, "secret/index.html", "<h1>not the app's</h1>" + "x".repeat(400));
    write(src, "static.json", "{\"root\": \"l/secret\"}");
    java.nio.file.Files.createSymbolicLink(src.resolve("l"), outside);

    BuildResult result = builder.build(request, out);

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(((Failed) result).reason()).contains("static.json root \"l/secret\" is not a directory of the app");
    assertThat(outside.resolve("secret/index.html")).exists();
    assertThat(outside.resolve("secret/index.html.gz")).doesNotExist();
  }

  @Test
  void aMalformedStaticJsonFailsNamingTheFileLineAndColumn() throws IOException {
    write(src, "static.json", "{\n  \"root\": \"www\",\n  \"clean_urls\": tru\n}\n");
    write(src, "www/index.html", "x");

    BuildResult result = builder.build(request, out);

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(((Failed) result).reason()).startsWith("static.json line 3, column ");
  }

  @Test
  void aHeaderRuleSettingAFramingOrRouterHeaderFailsTheBuild() {
    for (String name : java.util.List.of("Content-Length", "transfer-encoding", "Connection",
        "Proxy-Authenticate", "X-Request-Id", "Content-Encoding")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.pier.build.staticsite.StaticJson.parse(
              "{\"headers\": {\"/**\": {\"" + name + "\": \"0\"}}}"))
          .as(name).isInstanceOf(BuildFailure.class)
          .hasMessageContaining("\"" + name + "\" is set by the router");
    }
  }

  @Test
  void aStaticJsonValueOfTheWrongKindFailsAndUnknownKeysAreWarned() throws IOException {
    write(src, "static.json", "{\"clean_urls\": \"yes\", \"proxies\": {}}");
    write(src, "index.html", "x");
    assertThat(((Failed) builder.build(request, out)).reason())
        .isEqualTo("static.json: \"clean_urls\" must be true or false");

    write(src, "static.json", "{\"clean_urls\": true, \"proxies\": {}}");
    assertThat(builder.build(request, out)).isInstanceOf(Succeeded.class);
    assertThat(output).anyMatch(l -> l.contains("static.json keys ignored by Pier: proxies"));
  }

  @Test
  void aBuildScriptRunsSandboxedAndItsDistIsServed() throws IOException {
    write(src, "package.json", """
        {"name": "site", "scripts": {"build": "mkdir -p dist && echo built-by-$(id -u) > dist/index.html"}}
        """);
    write(src, "index.html", "<script type=module src=/src/main.js></script>");

    Succeeded ok = (Succeeded) builder.build(request, out);

    assertThat(ok.processTypes()).isEmpty();
    String expected = "built-by-" + (request.user() == null ? new com.sun.security.auth.module.UnixSystem().getUid() : request.user().uid()) + "\n";
    assertThat(TestApps.slugText(ok.slug(), "site/index.html")).isEqualTo(expected);
    assertThat(TestApps.slugEntries(ok.slug()).keySet()).doesNotContain("site/package.json");
  }

  @Test
  void anIndexHtmlBesideAServerIsNotAStaticSite() throws IOException {
    write(src, "public/index.html", "<h1>app</h1>");
    write(src, "package.json", "{\"name\": \"app\", \"scripts\": {\"start\": \"node app.js\"}}");
    assertThat(((Succeeded) builder.build(request, out)).buildpack()).isEqualTo("nodejs");

    write(src, "package.json", "{\"name\": \"app\"}");
    write(src, "Procfile", "web: node app.js\n");
    assertThat(((Succeeded) builder.build(request, out)).buildpack()).isEqualTo("nodejs");
  }
}
