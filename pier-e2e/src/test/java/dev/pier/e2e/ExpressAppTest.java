package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Response;
import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Express app made by express-generator, with its npm dependencies, pushed with git. */
class ExpressAppTest {
  @TempDir Path tmp;

  @Test
  void expressGeneratorAppBuildsWithNpmAndServesItsWelcomePage() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Process gen =
        new ProcessBuilder("npx", "--yes", "express-generator", "--view=ejs", "hello")
            .directory(src.toFile())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("generator.log").toFile())
            .start();
    assertThat(gen.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(gen.exitValue()).as(Files.readString(tmp.resolve("generator.log"))).isZero();
    Path app = src.resolve("hello");

    try (PlatformHarness pier = new PlatformHarness(tmp.resolve("pier"))) {
      pier.login();
      PlatformHarness.check(pier.git(app, "init", "-q", "-b", "main"));
      pier.commitAll(app, "init");
      Result created = PlatformHarness.check(pier.cli(app, "apps:create"));
      // Without a name Pier generates one and (inside a git repo) adds the pier remote.
      Result remote = PlatformHarness.check(pier.git(app, "remote", "get-url", "pier"));
      String name = remote.out().trim().replaceAll(".*/git/([^/]+)\\.git$", "$1");
      assertThat(created.out()).contains(name);

      Result push = pier.git(app, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(push.err()).contains("remote: ").contains("npm").contains("Released v1");

      Response page = pier.awaitOk(name, "/", Duration.ofSeconds(30));
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body()).contains("Welcome to Express");
      Response users = pier.get(name, "/users");
      assertThat(users.body()).contains("respond with a resource");
      Response missing = pier.get(name, "/no-such-page");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.body()).as("NODE_ENV=production: visitors get no stack trace")
          .contains("Not Found").doesNotContain("NotFoundError").doesNotContain("/app/app.js");

      // A config var wins over the buildpack's default.
      PlatformHarness.check(pier.cli(app, "config:set", "NODE_ENV=development"));
      assertThat(pier.get(name, "/no-such-page").body()).contains("NotFoundError").contains("/app/app.js");
    }
  }
}
