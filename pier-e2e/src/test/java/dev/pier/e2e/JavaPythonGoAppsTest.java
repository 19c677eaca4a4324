package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Response;
import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stdlib Python app, a stdlib Go app and a Javalin app from Maven Central, each pushed with git,
 * built by its language's buildpack and answering through the router with a page naming its
 * runtime; the Java app pushed again builds from the warm Maven cache; code that does not compile
 * fails the push quoting the compiler, and the previous release keeps serving.
 */
class JavaPythonGoAppsTest {
  @TempDir Path tmp;

  @Test
  void pythonGoAndJavaAppsBuildServeAndFailOnCompileErrorsNamingThem() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();

      Path python = deploy(pier, "pyhello", LanguageApps.pythonHttpServer("Hello"));
      Result pythonPush = timedPush(pier, python, "python, cold");
      assertThat(pythonPush.err()).contains("with the python buildpack").contains("Released v1");
      Response pythonPage = pier.awaitOk("pyhello", "/", Duration.ofSeconds(30));
      assertThat(pythonPage.body()).startsWith("Hello from Python 3.").contains("in /app/.venv");
      PlatformHarness.write(python, LanguageApps.pythonHttpServer("Hi"));
      pier.commitAll(python, "greeting");
      timedPush(pier, python, "python, warm");
      assertThat(pier.awaitBody("pyhello", "Hi from Python 3.", Duration.ofSeconds(30))).isTrue();

      Path go = deploy(pier, "gohello", LanguageApps.goNetHttp());
      Result goPush = timedPush(pier, go, "go, cold");
      assertThat(goPush.err()).contains("with the go buildpack").contains("Released v1");
      assertThat(pier.awaitOk("gohello", "/", Duration.ofSeconds(30)).body())
          .startsWith("Hello from Go go1.").endsWith("(linux/amd64)");

      Path java = deploy(pier, "javalin", LanguageApps.javalin("Hello"));
      Result cold = timedPush(pier, java, "java, cold");
      assertThat(cold.err())
          .contains("with the java buildpack")
          .contains("Using JDK 17").contains("system.properties java.runtime.version=17 asks for Java 17")
          .contains("Found target/hello-javalin-1.0.jar")
          .contains("Released v1");
      Response javaPage = pier.awaitOk("javalin", "/", Duration.ofSeconds(60));
      System.out.println("java page: " + javaPage.body());
      assertThat(javaPage.body()).startsWith("Hello from Javalin on Java 17.")
          .contains("java-17-openjdk").contains("MEMORY_LIMIT 512m");
      long heapMb = Long.parseLong(javaPage.body().replaceAll(".*max heap (\\d+) MB.*", "$1"));
      assertThat(heapMb).as("heap sized to the instance's 512 MB, not the host's RAM").isBetween(200L, 400L);

      // A second push builds from the Maven repository the first one cached.
      PlatformHarness.write(java, LanguageApps.javalin("Hello again"));
      pier.commitAll(java, "greeting");
      Result warm = timedPush(pier, java, "java, warm");
      assertThat(warm.err()).contains("Using the Maven repository cached by earlier builds")
          .contains("Released v2");
      assertThat(pier.awaitBody("javalin", "Hello again from Javalin", Duration.ofSeconds(60))).isTrue();

      // Code that does not compile: the push fails quoting the compiler; the release keeps serving.
      PlatformHarness.write(java, Map.of("src/main/java/example/Broken.java",
          "package example;\n\nclass Broken {\n  int x = undefinedName;\n}\n"));
      pier.commitAll(java, "broken");
      Result brokenJava = pier.git(java, "push", "pier", "main");
      assertThat(brokenJava.exit()).isNotZero();
      assertThat(brokenJava.err())
          .contains("mvn package failed (exit code 1): /app/src/main/java/example/Broken.java:[4,11]")
          .contains("cannot find symbol");
      assertThat(pier.get("javalin", "/").body()).startsWith("Hello again from Javalin");

      PlatformHarness.write(go, Map.of("main.go", "package main\n\nfunc main() {\n\tlisten()\n}\n"));
      pier.commitAll(go, "broken");
      Result brokenGo = pier.git(go, "push", "pier", "main");
      assertThat(brokenGo.exit()).isNotZero();
      assertThat(brokenGo.err()).contains("go build failed (exit code 2): ./main.go:4:2: undefined: listen");
      assertThat(pier.get("gohello", "/").body()).startsWith("Hello from Go go1.");

      // Fixed again: the warm Go build cache compiles only the app.
      PlatformHarness.write(go, LanguageApps.goNetHttp());
      pier.commitAll(go, "fixed");
      Result goWarm = timedPush(pier, go, "go, warm");
      assertThat(goWarm.err()).contains("Using the Go build cache from earlier builds").contains("Released v2");
    }
  }

  private static Path deploy(PlatformHarness pier, String name, Map<String, String> files) throws Exception {
    Path repo = pier.repo(name, files);
    PlatformHarness.check(pier.cli(repo, "apps:create", name));
    PlatformHarness.check(pier.cli(repo, "git:remote", "-a", name));
    return repo;
  }

  /** Pushes, requires success and prints how long the push (build and release) took. */
  private static Result timedPush(PlatformHarness pier, Path repo, String what) throws Exception {
    long start = System.nanoTime();
    Result push = pier.git(repo, "push", "pier", "main");
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println("push (" + what + "): " + ms + " ms");
    assertThat(push.exit()).as(push.all()).isZero();
    return push;
  }
}
