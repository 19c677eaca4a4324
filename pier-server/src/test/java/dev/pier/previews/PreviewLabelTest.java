package dev.pier.previews;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Branch names made host labels: lowercase, [a-z0-9-], at most 63, unique within the app. */
class PreviewLabelTest {
  @Test
  void aHostSafeBranchIsItsOwnLabel() {
    assertThat(PreviewLabel.of("feature-x", Set.of())).isEqualTo("feature-x");
    assertThat(PreviewLabel.of("fix42", Set.of())).isEqualTo("fix42");
  }

  @Test
  void slashesDotsUnderscoresAndCapitalsBecomeOneDashAndLowercase() {
    assertThat(PreviewLabel.normalise("Feature/Login_Page..v2")).isEqualTo("feature-login-page-v2");
    assertThat(PreviewLabel.normalise("--/weird//")).isEqualTo("weird");
    assertThat(PreviewLabel.normalise("émoji🚀ok")).isEqualTo("moji-ok");
  }

  @Test
  void aLabelTakenByAnotherBranchGetsAHashOfItsOwnBranch() {
    String label = PreviewLabel.of("Feature/X", Set.of("feature-x"));
    assertThat(label).matches("feature-x-[0-9a-f]{6}");
    assertThat(PreviewLabel.of("Feature/X", Set.of("feature-x"))).as("stable").isEqualTo(label);
    assertThat(PreviewLabel.of("feature_x", Set.of("feature-x"))).isNotEqualTo(label);
  }

  @Test
  void aLabelThatWouldBeAVersionHostIsHashed() {
    assertThat(PreviewLabel.of("v2", Set.of())).matches("v2-[0-9a-f]{6}");
    assertThat(PreviewLabel.of("V10", Set.of())).matches("v10-[0-9a-f]{6}");
    assertThat(PreviewLabel.of("v2-fix", Set.of())).isEqualTo("v2-fix");
  }

  @Test
  void aBranchWithNothingHostSafeGetsAHashedPlaceholder() {
    assertThat(PreviewLabel.of("___", Set.of())).matches("branch-[0-9a-f]{6}");
    assertThat(PreviewLabel.of("ä/ö", Set.of())).matches("branch-[0-9a-f]{6}");
  }

  @Test
  void aLongBranchIsCutToSixtyThreeCharactersWithAHashKeepingItUnique() {
    String a = "feature/" + "a".repeat(100) + "-one";
    String b = "feature/" + "a".repeat(100) + "-two";
    String la = PreviewLabel.of(a, Set.of());
    String lb = PreviewLabel.of(b, Set.of());
    assertThat(la).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    assertThat(lb).hasSizeLessThanOrEqualTo(63);
    assertThat(la).isNotEqualTo(lb);
    assertThat(PreviewLabel.of("x".repeat(63), Set.of())).isEqualTo("x".repeat(63));
  }

  @Test
  void aCutNeverLeavesADashBeforeTheHash() {
    String branch = "a".repeat(55) + "/" + "b".repeat(20);
    assertThat(PreviewLabel.of(branch, Set.of())).doesNotContain("--").hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void aHashedLabelThatABranchNamedLikeItTookGetsAnotherFreeLabel() {
    String hashed = PreviewLabel.of("v1", Set.of());
    // A branch pushed under that very name holds the label first.
    assertThat(PreviewLabel.of(hashed, Set.of())).isEqualTo(hashed);
    String other = PreviewLabel.of("v1", Set.of(hashed));
    assertThat(other).matches("v1-[0-9a-f]{6}").isNotEqualTo(hashed);
    String third = PreviewLabel.of("v1", Set.of(hashed, other));
    assertThat(third).matches("v1-[0-9a-f]{6}").isNotIn(hashed, other);
  }
}
