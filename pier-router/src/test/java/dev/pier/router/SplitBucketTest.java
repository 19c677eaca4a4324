package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitBucketTest {
  @Test
  void cookieBucketIsReadAmongOtherCookies() {
    assertThat(SplitBucket.fromCookies(List.of("a=1; pier_split=4242; b=2"))).isEqualTo(4242);
    assertThat(SplitBucket.fromCookies(List.of("a=1", "pier_split=0"))).isZero();
    assertThat(SplitBucket.fromCookies(List.of("pier_split=9999"))).isEqualTo(9999);
  }

  @Test
  void missingOrInvalidCookieMeansNoBucket() {
    assertThat(SplitBucket.fromCookies(List.of())).isEqualTo(-1);
    for (String bad : List.of("pier_split=", "pier_split=abc", "pier_split=10000",
        "pier_split=-1", "pier_split=12 34", "other=5")) {
      assertThat(SplitBucket.fromCookies(List.of(bad))).as(bad).isEqualTo(-1);
    }
  }

  @Test
  void setCookiePinsTheBucketForAYear() {
    assertThat(SplitBucket.setCookie(42))
        .isEqualTo("pier_split=42; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax");
  }

  @Test
  void addressBucketIsStableAndSpread() throws Exception {
    Set<Integer> buckets = new HashSet<>();
    for (int i = 1; i <= 50; i++) {
      InetAddress address = InetAddress.getByName("10.0.0." + i);
      int bucket = SplitBucket.fromAddress(new InetSocketAddress(address, 1000 + i));
      assertThat(SplitBucket.fromAddress(new InetSocketAddress(address, 2000))).isEqualTo(bucket);
      assertThat(bucket).isBetween(0, 9999);
      buckets.add(bucket / 1000);
    }
    assertThat(buckets).hasSizeGreaterThan(5); // neighbouring addresses land across the range
  }

  @Test
  void randomBucketsCoverTheRange() {
    int low = 0;
    for (int i = 0; i < 1000; i++) {
      int bucket = SplitBucket.random();
      assertThat(bucket).isBetween(0, 9999);
      if (bucket < 5000) low++;
    }
    assertThat(low).isBetween(400, 600);
  }
}
