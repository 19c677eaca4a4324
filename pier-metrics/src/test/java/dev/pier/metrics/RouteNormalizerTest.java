package dev.pier.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteNormalizerTest {

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          root                        | /                                                    | /
          empty path                  | ''                                                   | /
          plain route kept            | /users                                               | /users
          trailing slash kept         | /users/                                              | /users/
          numeric id                  | /users/123                                           | /users/:id
          another numeric id          | /users/456                                           | /users/:id
          nested ids                  | /users/42/orders/7                                   | /users/:id/orders/:id
          query dropped               | /search?q=shoes&page=2                               | /search
          fragment dropped            | /docs#intro                                          | /docs
          id and query                | /users/9?expand=true                                 | /users/:id
          uuid                        | /orders/123e4567-e89b-12d3-a456-426614174000         | /orders/:id
          uppercase uuid              | /orders/123E4567-E89B-12D3-A456-426614174000/items   | /orders/:id/items
          mongo object id             | /orders/5f2b8c9e1a2b3c4d5e6f7a8b                     | /orders/:id
          long hex sha                | /commits/da39a3ee5e6b4b0d3255bfef95601890afd80709    | /commits/:id
          short hex word kept         | /cafe/beef                                           | /cafe/beef
          mixed token                 | /invites/a8Kx92LmQ0zP                                | /invites/:id
          slug with date              | /posts/release-2024-01-15                            | /posts/:id
          short mixed kept            | /api/v2/users                                        | /api/v2/users
          words kept                  | /settings/notifications                              | /settings/notifications
          file name kept              | /static/app.js                                       | /static/app.js
          absolute form               | http://example.com/users/5?x=1                       | /users/:id
          absolute form host only     | http://example.com                                   | /
          """)
  void normalizesPathsToRoutes(String name, String path, String route) {
    assertThat(Metrics.normalizeRoute(path)).isEqualTo(route);
  }

  @Test
  void pathThatIsAlreadyARouteIsReturnedWithoutCopying() {
    String path = "/api/v2/users";
    assertThat(RouteNormalizer.normalize(path)).isSameAs(path);
  }

  @Test
  void veryLongPathIsCutToBoundedLength() {
    String path = "/a".repeat(1000);
    assertThat(RouteNormalizer.normalize(path)).hasSize(RouteNormalizer.MAX_LENGTH);
  }
}
