package dev.pier.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import dev.pier.model.AppName;
import org.junit.jupiter.api.Test;

class FeatureTest {
  @Test
  void featuresAreFoundByNameInAnyCaseEachWithADescription() {
    assertThat(Feature.byKey(" HTTPS-Only ")).isEqualTo(Feature.HTTPS_ONLY);
    assertThat(Feature.keys()).containsExactly("https-only", "hsts");
    assertThat(Feature.HSTS.description()).contains("Strict-Transport-Security");
  }

  @Test
  void anUnknownFeatureIsANotFoundNamingTheKnownOnesBeforeAnythingIsStored() {
    FeatureService service = new FeatureService(null, () -> {
      throw new AssertionError("nothing to publish");
    });
    assertThatThrownBy(() -> service.set(new AppName("shop"), "http-only", true))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("no such feature 'http-only'").hasMessageContaining("https-only, hsts")
        .extracting(e -> ((PlatformException) e).problem()).isEqualTo(Problem.NOT_FOUND);
  }
}
