package dev.pier.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Host lookup: exact hosts first, then wildcard custom domains by parent domain. */
class RouteTableTest {
  private final Route shop = new Route("shop", List.of());
  private final Route blog = new Route("blog", List.of());
  private final RouteTable table = new RouteTable(
      Map.of("shop.localhost", shop, "www.example.com", shop, "blog.example.com", blog),
      Map.of("example.com", shop));

  @Test
  void anExactHostIsFoundWhateverItsCasePortOrTrailingDot() {
    for (String host : List.of("www.example.com", " WWW.EXAMPLE.com ", "www.example.com:443", "www.example.com.")) {
      assertThat(table.lookup(host)).as(host).isSameAs(shop);
    }
  }

  @Test
  void aWildcardMatchesOneLabelOnlyAndAnExactHostWinsOverIt() {
    assertThat(table.lookup("api.example.com")).isSameAs(shop);
    assertThat(table.lookup("blog.example.com")).isSameAs(blog);
    assertThat(table.lookup("example.com")).isNull();
    assertThat(table.lookup("a.b.example.com")).isNull();
    assertThat(table.lookup(".example.com")).isNull();
    assertThat(table.lookup("[::1]:80")).isNull();
    assertThat(table.lookup(null)).isNull();
  }

  @Test
  void aHostHeaderThatIsNotAValidHostNameRoutesNowhere() {
    for (String host : List.of("u@3232235777?.example.com", "a?.example.com", "a#.example.com",
        "a/b.example.com", "u@www.example.com", "a b.example.com", "a%2f.example.com", "_x.example.com",
        "-a.example.com", "a..example.com", "www.example.com:80x", "www.example.com:80:80",
        "www.example.com\\", "[::1", "[zz::1]")) {
      assertThat(table.lookup(host)).as(host).isNull();
      assertThat(RouteTable.hostName(host)).as(host).isNull();
    }
  }

  @Test
  void aValidHostNameIsNormalised() {
    assertThat(RouteTable.hostName(" Api.Example.COM.:8080 ")).isEqualTo("api.example.com");
    assertThat(RouteTable.hostName("[::1]:80")).isEqualTo("[::1]");
    assertThat(RouteTable.hostName("127.0.0.1:8080")).isEqualTo("127.0.0.1");
    assertThat(RouteTable.hostName("pr-7.shop.localhost")).isEqualTo("pr-7.shop.localhost");
  }
}
