package dev.pier.drains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DrainUrlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      syslog with port           | syslog+tcp://logs.example.com:514      | syslog+tcp | logs.example.com | 514  | ''
      syslog with trailing slash | syslog+tcp://10.0.0.5:6514/            | syslog+tcp | 10.0.0.5         | 6514 | ''
      uppercase scheme           | SYSLOG+TCP://logs.example.com:514      | syslog+tcp | logs.example.com | 514  | ''
      http default port and path | http://logs.example.com                | http       | logs.example.com | 80   | /
      https default port         | https://logs.example.com/drain         | https      | logs.example.com | 443  | /drain
      http port path and query   | http://127.0.0.1:8080/in?token=abc     | http       | 127.0.0.1        | 8080 | /in?token=abc
      https basic auth           | https://user:s3cret@logs.example.com/x | https      | logs.example.com | 443  | /x
      ipv6 literal               | http://[::1]:9000/logs                 | http       | [::1]            | 9000 | /logs
      surrounding spaces         | '  https://logs.example.com/x  '       | https      | logs.example.com | 443  | /x
      """)
  void validUrlsParseIntoTheirParts(
      String name, String text, String scheme, String host, int port, String path) {
    DrainUrl url = DrainUrl.parse(text);

    assertThat(url.scheme()).isEqualTo(scheme);
    assertThat(url.host()).isEqualTo(host);
    assertThat(url.port()).isEqualTo(port);
    assertThat(url.path()).isEqualTo(path);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      empty                      | ''                                       | drain URL is empty
      no scheme                  | logs.example.com:514                     | has no scheme: use syslog+tcp://host:port
      unknown scheme             | ftp://logs.example.com/x                 | unsupported drain scheme 'ftp': use syslog+tcp, http or https
      syslog over tls            | syslog+tls://logs.example.com:6514       | syslog+tls drains are not supported yet
      syslog over udp            | syslog://logs.example.com:514            | UDP syslog drains are not supported
      syslog without port        | syslog+tcp://logs.example.com            | needs a port, e.g. syslog+tcp://logs.example.com:514
      syslog with credentials    | syslog+tcp://user:pw@logs.example.com:514 | cannot carry credentials
      syslog with a path         | syslog+tcp://logs.example.com:514/app    | cannot have a path ('/app')
      syslog with a query        | syslog+tcp://logs.example.com:514?x=1    | cannot have a ?query
      port out of range          | syslog+tcp://logs.example.com:99999      | has port 99999: use a port from 1 to 65535
      port zero                  | http://logs.example.com:0/x              | has port 0
      port not a number          | syslog+tcp://logs.example.com:abc        | invalid host or port in 'logs.example.com:abc'
      invalid host               | http://bad_host/x                        | invalid host or port in 'bad_host'
      no host                    | https://                                 | not a valid URL: Expected authority
      space in host              | http://logs example.com/                 | not a valid URL: Illegal character in authority
      fragment                   | https://logs.example.com/x#top           | cannot have a #fragment
      """)
  void invalidUrlsAreRejectedWithAMessageNamingTheProblem(String name, String text, String message) {
    assertThatThrownBy(() -> DrainUrl.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void errorMessagesNeverShowThePassword() {
    assertThatThrownBy(() -> DrainUrl.parse("https://user:s3cret@logs.example.com:70000/x"))
        .hasMessageContaining("user:***@")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> DrainUrl.parse("syslog+tcp://user:s3cret@logs.example.com:514"))
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void toStringHidesThePasswordButUriKeepsItForStorage() {
    DrainUrl url = DrainUrl.parse("https://user:s3cret@logs.example.com/x");

    assertThat(url.toString()).isEqualTo("https://user:***@logs.example.com/x");
    assertThat(url.redacted()).doesNotContain("s3cret");
    assertThat(DrainUrl.parse(url.uri().toString())).isEqualTo(url);
    assertThat(DrainUrl.parse("https://t0ken@logs.example.com/x").toString())
        .isEqualTo("https://***@logs.example.com/x");
  }

  @Test
  void userInfoBecomesABasicAuthorizationHeader() {
    DrainUrl url = DrainUrl.parse("https://user:s3cret@logs.example.com/x");

    String expected = "Basic " + Base64.getEncoder()
        .encodeToString("user:s3cret".getBytes(StandardCharsets.UTF_8));
    assertThat(url.basicAuthorization()).contains(expected);
    assertThat(DrainUrl.parse("https://logs.example.com/x").basicAuthorization()).isEmpty();
  }

  @Test
  void schemeIsStoredLowercaseSoTheSameDrainComparesEqual() {
    assertThat(DrainUrl.parse("HTTPS://logs.example.com/x").uri().toString())
        .isEqualTo("https://logs.example.com/x");
  }
}
