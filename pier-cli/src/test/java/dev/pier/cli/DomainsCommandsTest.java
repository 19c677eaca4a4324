package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainsCommandsTest extends FakeApiTest {
  @Test
  void addedDomainsAreListedAfterTheBuiltInOneAndRemovedOnesDisappear() {
    var none = cli.run("domains", "-a", "hello");
    assertThat(none.exitCode()).as(none.err()).isZero();
    assertThat(none.out()).startsWith("=== hello Heroku-style domain\nhello.localhost\n").contains("(none)");

    var add = cli.run("domains:add", "www.example.com", "-a", "hello");
    assertThat(add.exitCode()).as(add.err()).isZero();
    assertThat(api.lastBody.toString()).isEqualTo("{\"hostname\":\"www.example.com\"}");
    assertThat(add.out()).startsWith("Adding www.example.com to hello... done");
    assertThat(cli.run("domains:add", "*.shop.test", "-a", "hello").exitCode()).isZero();

    var listed = cli.run("domains", "-a", "hello");
    assertThat(listed.out()).containsPattern("www\\.example\\.com +2026").contains("*.shop.test")
        .doesNotContain("(none)");
    assertThat(listed.out().indexOf("hello.localhost")).isLessThan(listed.out().indexOf("www.example.com"));

    var remove = cli.run("domains:remove", "www.example.com", "-a", "hello");
    assertThat(remove.exitCode()).as(remove.err()).isZero();
    assertThat(remove.out()).isEqualTo("Removing www.example.com from hello... done\n");
    assertThat(cli.run("domains", "-a", "hello").out()).doesNotContain("www.example.com");
  }

  @Test
  void aDomainOfAnotherAppIsRefusedWithTheServersMessage() {
    api.deployedApp("blog");
    assertThat(cli.run("domains:add", "www.example.com", "-a", "blog").exitCode()).isZero();

    var taken = cli.run("domains:add", "www.example.com", "-a", "hello");

    assertThat(taken.exitCode()).isNotZero();
    assertThat(taken.err()).contains("www.example.com is already a domain of app blog");
  }

  @Test
  void removingADomainTheAppDoesNotHaveFails() {
    var result = cli.run("domains:remove", "nope.example.com", "-a", "hello");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("nope.example.com is not a domain of hello");
  }

  @Test
  void clearRemovesEveryCustomDomainAndKeepsTheBuiltInOne() {
    cli.run("domains:add", "www.example.com", "-a", "hello");
    cli.run("domains:add", "*.shop.test", "-a", "hello");

    var clear = cli.run("domains:clear", "-a", "hello");

    assertThat(clear.exitCode()).as(clear.err()).isZero();
    assertThat(clear.out()).isEqualTo("Removing 2 custom domains from hello... done\n");
    assertThat(cli.run("domains", "-a", "hello").out()).contains("hello.localhost", "(none)")
        .doesNotContain("example.com");
  }
}
