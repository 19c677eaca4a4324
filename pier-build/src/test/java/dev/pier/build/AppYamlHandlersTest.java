package dev.pier.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.model.StaticHandler;
import dev.pier.model.StaticHandlers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AppYamlHandlersTest {
  private static final String HANDLERS = """
      runtime: nodejs20
      default_expiration: 1h
      handlers:
        - url: /static
          static_dir: public/
          expiration: 4d 5h
          http_headers:
            X-Served-By: router
        - url: /img/(.*)\\.(png|gif)
          static_files: images/\\1.\\2
          upload: images/.*\\.(png|gif)
          mime_type: image/x-test
        - url: /static/api/.*
          script: auto
        - url: /(robots\\.txt)
          static_files: public/\\1
          upload: public/robots\\.txt
          login: admin
          secure: always
      """;

  private static StaticHandlers handlers() throws BuildFailure {
    return new StaticHandlers(Path.of("/files"), AppYaml.parse(HANDLERS).serving().handlers());
  }

  @Test
  void staticDirMapsItsUrlPrefixToTheDirectory() throws BuildFailure {
    StaticHandlers.Match m = handlers().match("/static/css/site.css");

    assertThat(m.file()).isEqualTo("public/css/site.css");
    assertThat(m.handler().maxAgeSeconds()).isEqualTo(4 * 86_400 + 5 * 3_600);
    assertThat(m.handler().headers()).containsEntry("X-Served-By", "router");
    assertThat(handlers().match("/staticfoo/a.css")).as("a prefix ends at a slash").isNull();
  }

  @Test
  void staticFilesSubstituteTheUrlsGroups() throws BuildFailure {
    StaticHandlers.Match m = handlers().match("/img/logo.png");

    assertThat(m.file()).isEqualTo("images/logo.png");
    assertThat(m.handler().mimeType()).isEqualTo("image/x-test");
    assertThat(m.handler().maxAgeSeconds()).as("default_expiration").isEqualTo(3_600);
    assertThat(handlers().match("/img/logo.svg")).as("no handler: the app").isNull();
  }

  @Test
  void handlersAreTriedInOrderAndTheFirstMatchWins() throws BuildFailure {
    assertThat(handlers().match("/static/api/x").file())
        .as("the static_dir before the script handler wins").isEqualTo("public/api/x");
    StaticHandlers scriptFirst = new StaticHandlers(Path.of("/files"), AppYaml.parse("""
        runtime: nodejs20
        handlers:
          - url: /static/api/.*
            script: auto
          - url: /static
            static_dir: public
        """).serving().handlers());
    assertThat(scriptFirst.match("/static/api/x")).as("script: auto passes to the app").isNull();
    assertThat(scriptFirst.match("/static/a.js").file()).isEqualTo("public/a.js");
    assertThat(scriptFirst.match("/other")).isNull();
  }

  @Test
  void aPathLeavingTheHandlerDirectoryHasNoFile() throws BuildFailure {
    assertThat(handlers().match("/static/../app.js").file()).isNull();
    assertThat(handlers().match("/static/a/../../server.js").file()).isNull();
    assertThat(handlers().match("/static/./a.js").file()).isNull();
    assertThat(handlers().match("/static/a\\..\\b").file()).isNull();
    assertThat(handlers().match("/img/..%2f.png").file()).as("not decoded here: a plain name")
        .isEqualTo("images/..%2f.png");
    assertThat(handlers().match("/img/../server.png").file()).isNull();
  }

  @Test
  void unsupportedHandlerKeysAreWarnedAboutByNameAndHandlersAreNotIgnoredKeys() throws BuildFailure {
    AppYaml yaml = AppYaml.parse(HANDLERS);

    assertThat(yaml.ignoredKeys()).isEmpty();
    assertThat(yaml.serving().warnings()).containsExactly(
        "app.yaml handlers entry 4: 'login' is not supported by Pier and is ignored",
        "app.yaml handlers entry 4: 'secure' is not supported by Pier and is ignored");
    assertThat(yaml.serving().handlers()).extracting(StaticHandler::kind).containsExactly(
        StaticHandler.Kind.DIR, StaticHandler.Kind.FILES, StaticHandler.Kind.APP, StaticHandler.Kind.FILES);
  }

  @Test
  void badHandlersFailTheBuildNamingTheLine() {
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nhandlers:\n  - url: /(a\n    script: auto\n"))
        .isInstanceOf(BuildFailure.class)
        .hasMessageStartingWith("app.yaml line 3: handlers entry 1 url is not a valid regular expression");
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nhandlers:\n  - url: /s\n    static_dir: ../etc\n"))
        .hasMessage("app.yaml line 4: handlers entry 1 static_dir must be a path inside the app"
            + " (relative, without '..'), got '../etc'");
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nhandlers:\n  - url: /s\n    static_dir: /etc\n"))
        .hasMessageContaining("must be a path inside the app");
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nhandlers:\n  - url: /(.*)\n    static_files: \\1\n"))
        .hasMessageContaining("static_files needs 'upload'");
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nhandlers:\n  - static_dir: x\n"))
        .hasMessage("app.yaml line 3: handlers entry 1 has no 'url'");
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nhandlers:\n  - url: /s\n    static_dir: x\n    expiration: soon\n"))
        .hasMessageContaining("expiration must be like '4d 5h'");
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nhandlers: /x\n"))
        .hasMessageContaining("handlers must be a list");
  }

  @Test
  void handlerRegexesThatCanBacktrackForeverFailTheBuildNamingTheHandler() throws BuildFailure {
    for (String url : java.util.List.of("/(.*a){12}x", "/(a+)+", "/((ab)*c)*", "/(\\w+\\s?)*$",
        "/(a)\\1", "/(?<x>a)\\k<x>")) {
      assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nhandlers:\n  - url: '" + url
              + "'\n    script: auto\n"))
          .as(url).isInstanceOf(BuildFailure.class)
          .hasMessageStartingWith("app.yaml line 3: handlers entry 1 url '")
          .hasMessageContaining("is refused");
    }
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nhandlers:\n  - url: /x/(.*)\n"
            + "    static_files: public/\\1\n    upload: '(public/.+)+'\n"))
        .hasMessageContaining("handlers entry 1 upload '(public/.+)+' is refused: it has nested quantifiers");
    for (String fine : java.util.List.of("/(.*\\.(gif|png|jpg))$", "/static/(.+)/(.*)", "/(a|b)*x",
        "/([a-z]+)?/x", "/(?:ab)+", "/[(.*)+]x", "/\\(a+\\)+", "/(x*){1}")) {
      assertThat(AppYaml.parse("runtime: nodejs\nhandlers:\n  - url: '" + fine + "'\n    script: auto\n")
          .serving().handlers()).as(fine).hasSize(1);
    }
  }

  @Test
  void aHandlerSettingAFramingOrRouterHeaderFailsTheBuild() {
    for (String name : java.util.List.of("Content-Length", "Transfer-Encoding", "connection", "Keep-Alive",
        "Upgrade", "TE", "Trailer", "Proxy-Authorization", "Content-Range", "Content-Encoding",
        "X-Request-Id", "Via")) {
      assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nhandlers:\n  - url: /s\n    static_dir: x\n"
              + "    http_headers:\n      " + name + ": '0'\n"))
          .as(name).isInstanceOf(BuildFailure.class)
          .hasMessageContaining("handlers entry 1 http_headers: '" + name + "' is set by the router");
    }
  }

  @Test
  void livenessCheckTakesAppEngineDefaultsAndRejectsOutOfRangeNumbers() throws BuildFailure {
    LivenessCheck l = AppYaml.parse("runtime: nodejs\nliveness_check:\n  path: /healthz\n  check_interval_sec: 2\n")
        .serving().liveness();

    assertThat(l).isEqualTo(new LivenessCheck("/healthz", 2, 4, 4, 2, 300));
    assertThat(AppYaml.parse("runtime: nodejs\n").serving().liveness()).isNull();
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nliveness_check:\n  check_interval_sec: 0\n"))
        .hasMessage("app.yaml line 3: liveness_check.check_interval_sec must be a whole number from 1 to 300, got '0'");
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nreadiness_check:\n  check_interval_sec: 301\n"))
        .hasMessage("app.yaml line 3: readiness_check.check_interval_sec must be a whole number from 1 to 300, got '301'");
  }
}
