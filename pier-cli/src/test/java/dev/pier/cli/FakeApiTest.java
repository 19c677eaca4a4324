package dev.pier.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of command tests: a fresh in-memory API with a deployed app {@code hello}, and the CLI
 * logged in against it with its own HOME. Subclasses' own {@code @BeforeEach} run after this one.
 */
abstract class FakeApiTest {
  @TempDir Path home;
  FakePierApi api;
  CliHarness cli;
  FakePierApi.FakeApp app;

  @BeforeEach
  void startFakeApi() throws Exception {
    api = new FakePierApi();
    app = api.deployedApp("hello");
    cli = new CliHarness(home, api);
  }

  @AfterEach
  void stopFakeApi() {
    api.close();
  }
}
