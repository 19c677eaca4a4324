package dev.pier.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.errors.PlatformException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which host names may be custom domains, and their canonical form. */
class HostNamesTest {
  private final HostNames names = new HostNames("pier.test");

  @Test
  void validNamesAreKeptInLowercaseWithoutATrailingDot() {
    assertThat(names.validate("WWW.Example.com.")).isEqualTo("www.example.com");
    assertThat(names.validate("*.shop.test")).isEqualTo("*.shop.test");
    assertThat(names.validate("a-1.b2.example.co.uk")).isEqualTo("a-1.b2.example.co.uk");
    assertThat(names.validate("x".repeat(63) + ".com")).hasSize(67);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "example", "*.com", "-www.example.com", "www-.example.com", "www..example.com",
      "w_w.example.com", "www.exa mple.com", "a.*.example.com", "**.example.com", "*example.com",
      "127.0.0.1", "10.0.0.1", "[::1]", "app.localhost", "printer.local", "www.example.com:8080",
      "pier.test", "hello.pier.test", "v2.hello.pier.test", "*.hello.pier.test", "*.pier.test"})
  void invalidNamesAreRefusedWith422(String hostname) {
    assertThatThrownBy(() -> names.validate(hostname))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.getMessage()).contains("invalid domain"));
  }

  @Test
  void tooLongNamesAndLabelsAreRefused() {
    assertThatThrownBy(() -> names.validate("x".repeat(64) + ".com")).hasMessageContaining("1 to 63");
    String longName = ("x".repeat(60) + ".").repeat(4) + "com"; // 247 + 3 > 253? 244 + 3 = 247: add more
    assertThat(names.validate(longName)).isEqualTo(longName);
    assertThatThrownBy(() -> names.validate("abcdefg." + longName)).hasMessageContaining("253");
  }

  @Test
  void thePlatformsOwnDomainIsRefusedWithAClearReason() {
    assertThatThrownBy(() -> names.validate("hello.pier.test")).hasMessageContaining("belong to Pier");
  }

  @Test
  void aWildcardDirectlyUnderAPublicSuffixIsRefused() {
    for (String wildcard : java.util.List.of("*.com", "*.co.uk", "*.github.io", "*.COM.")) {
      assertThatThrownBy(() -> names.validate(wildcard)).as(wildcard)
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("is a public suffix")
          .hasMessageContaining("a wildcard must be under a domain of your own");
    }
    assertThatThrownBy(() -> names.validate("co.uk")).hasMessageContaining("co.uk is a public suffix");
  }

  @Test
  void wildcardsUnderARegisteredDomainAreAccepted() {
    assertThat(names.validate("*.example.co.uk")).isEqualTo("*.example.co.uk");
    assertThat(names.validate("*.example.com")).isEqualTo("*.example.com");
    assertThat(names.validate("example.com")).isEqualTo("example.com");
  }
}
