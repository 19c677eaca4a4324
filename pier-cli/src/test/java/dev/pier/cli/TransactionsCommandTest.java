package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionsCommandTest extends FakeApiTest {
  @BeforeEach
  void start() {
    api.transactions = Json.parseOrNull(("["
        + "{'method':'GET','route':'/users/:id','count':40,'throughput_per_minute':4.0,'mean_ms':12.5,'p95_ms':30,"
        + "'error_rate':0.025,'slowest':[{'time':'2026-11-27T05:31:00Z','duration_ms':250,'status':200,"
        + "'path':'/users/42','instance':'web.1'},{'time':'2026-11-27T05:32:00Z','duration_ms':90,'status':500,"
        + "'path':'/users/7','instance':'web.2'}]},"
        + "{'method':'POST','route':'/login','count':7,'throughput_per_minute':0.7,'mean_ms':80,'p95_ms':120,"
        + "'error_rate':0.0,'slowest':[]},"
        + "{'method':'GET','route':'/health','count':1}"
        + "]").replace('\'', '"'));
  }

  @Test
  void transactionsListsRoutesInTheApisOrder() {
    var result = cli.run("transactions", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        === hello Transactions
        Method  Route       Count  RPM  Mean ms  p95 ms  Errors
        GET     /users/:id     40    4     12.5      30    2.5%
        POST    /login          7  0.7       80     120    0.0%
        GET     /health         1    -        -       -       -
        """);
    assertThat(api.requests).containsExactly("GET /apps/hello/transactions");
  }

  @Test
  void slowAlsoListsTheSlowestRequestsOfEachRoute() {
    var result = cli.run("transactions", "--slow", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).endsWith("""
        GET     /health         1    -        -       -       -

        === Slowest GET /users/:id
        250 ms  200  /users/42  2026-11-27T05:31:00Z  web.1
         90 ms  500  /users/7   2026-11-27T05:32:00Z  web.2

        === Slowest POST /login
        No slow requests recorded

        === Slowest GET /health
        No slow requests recorded
        """);
  }

  @Test
  void noTrafficYetSaysSo() {
    api.transactions = Json.MAPPER.createArrayNode();

    var result = cli.run("transactions", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("=== hello Transactions\nNo requests recorded for hello yet\n");
  }

  @Test
  void jsonPrintsTheApisAnswer() {
    var result = cli.run("transactions", "--json", "-a", "hello");

    assertThat(Json.parseOrNull(result.out())).isEqualTo(api.transactions);
  }

  @Test
  void anUnknownAppExitsWithOne() {
    var result = cli.run("transactions", "-a", "nope");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith(" !     ");
  }
}
