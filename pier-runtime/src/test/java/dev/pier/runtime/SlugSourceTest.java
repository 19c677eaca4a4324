package dev.pier.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlugSourceTest {
  @TempDir Path dir;

  @Test
  void aFileSlugIsNamedByTheSha256OfItsBytesAndStreamsThem() throws Exception {
    Path file = Files.writeString(dir.resolve("slug.tar.gz"), "hello\n");
    SlugSource source = SlugSource.file(file);

    assertThat(source.digest())
        .isEqualTo("sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    try (InputStream in = source.open()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
    }
    assertThat(source).isEqualTo(SlugSource.file(file));
  }

  @Test
  void aSpecGivenAPathReadsThatFileAndKeepsThePathThroughWithers() {
    Path file = dir.resolve("slug.tar.gz");
    InstanceSpec spec = spec(file).withCpus(0.5).withTask();

    assertThat(spec.slug()).isEqualTo(file);
    assertThat(spec.slugSource()).isEqualTo(SlugSource.file(file));
  }

  @Test
  void aSpecWithASlugThatIsNoFileHasNoPath() {
    SlugSource remote = new SlugSource() {
      @Override
      public InputStream open() {
        return new ByteArrayInputStream(new byte[0]);
      }

      @Override
      public String digest() {
        return "sha256:00";
      }
    };

    InstanceSpec spec = spec(dir.resolve("slug.tar.gz")).withSlugSource(remote).withBootTimeout(Duration.ofSeconds(5));

    assertThat(spec.slug()).isNull();
    assertThat(spec.slugSource()).isSameAs(remote);
    assertThat(spec.bootTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void specsRefuseNonsenseSizes() {
    InstanceSpec spec = spec(dir.resolve("slug.tar.gz"));

    assertThatThrownBy(() -> spec.withCpus(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> spec.withCpus(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> spec.withBootTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThat(spec.withCpus(0).cpus()).isZero();
    assertThat(spec.mode()).isEqualTo(RunMode.SERVICE);
    assertThat(spec.bootTimeout()).isNull();
  }

  private static InstanceSpec spec(Path slug) {
    return new InstanceSpec(
        AppName.of("hello"), ProcessType.WEB, 1, 1, slug, "node server.js", Map.of(), null,
        256L << 20, Duration.ofSeconds(2));
  }
}
