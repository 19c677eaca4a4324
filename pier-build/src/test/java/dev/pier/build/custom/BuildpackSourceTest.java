package dev.pier.build.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildpackSourceTest {
  private static final List<String> BUILT_IN = List.of("nodejs", "java", "procfile");

  private static BuildpackSource parse(String text) {
    return BuildpackSource.parse(text, BUILT_IN);
  }

  @Test
  void aBuiltInNameIsABuiltInAlsoWithHerokusPrefixAndAnyCase() {
    assertThat(parse("nodejs")).isEqualTo(new BuildpackSource.BuiltIn("nodejs"));
    assertThat(parse("heroku/nodejs")).isEqualTo(new BuildpackSource.BuiltIn("nodejs"));
    assertThat(parse(" Java ")).isEqualTo(new BuildpackSource.BuiltIn("java"));
  }

  @Test
  void gitUrlsKeepTheirRefAfterTheHash() {
    assertThat(parse("https://github.com/heroku/heroku-buildpack-ruby.git"))
        .isEqualTo(new BuildpackSource.Git("https://github.com/heroku/heroku-buildpack-ruby.git", null));
    assertThat(parse("https://example.com/bp.git#v1.2")).isEqualTo(new BuildpackSource.Git("https://example.com/bp.git", "v1.2"));
    assertThat(parse("file:///srv/buildpacks/hello.git#main").toString()).isEqualTo("file:///srv/buildpacks/hello.git#main");
    assertThat(parse("git://example.com/bp")).isInstanceOf(BuildpackSource.Git.class);
  }

  @Test
  void tarballsAreRecognisedByTheirExtensionAsUrlOrPath() {
    assertThat(parse("https://example.com/bp/v3.tgz")).isEqualTo(new BuildpackSource.Tarball("https://example.com/bp/v3.tgz"));
    assertThat(parse("/srv/bp.tar.gz")).isEqualTo(new BuildpackSource.Tarball("/srv/bp.tar.gz"));
    assertThat(((BuildpackSource.Tarball) parse("file:///srv/bp.tgz")).file()).isEqualTo(Path.of("/srv/bp.tgz"));
    assertThat(((BuildpackSource.Tarball) parse("https://x.example/bp.tgz")).file()).isNull();
  }

  @Test
  void anAbsolutePathIsADirectoryOnTheServer() {
    assertThat(parse("/srv/buildpacks/hello/")).isEqualTo(new BuildpackSource.Directory(Path.of("/srv/buildpacks/hello")));
  }

  @Test
  void badSourcesAreRefusedSayingWhy() {
    assertThatThrownBy(() -> parse("ruby")).hasMessageContaining("unknown buildpack 'ruby'")
        .hasMessageContaining("nodejs, java, procfile");
    assertThatThrownBy(() -> parse("buildpacks/hello")).hasMessageContaining("must be absolute");
    assertThatThrownBy(() -> parse("ssh://git@example.com/bp.git")).hasMessageContaining("scheme 'ssh:' is not supported");
    assertThatThrownBy(() -> parse("ext::sh -c touch% /tmp/pwned")).hasMessageContaining("spaces");
    assertThatThrownBy(() -> parse("ext::sh")).hasMessageContaining("scheme 'ext:' is not supported");
    assertThatThrownBy(() -> parse("https:///no-host.git")).hasMessageContaining("has no host");
    assertThatThrownBy(() -> parse("https://example.com/bp.git#--upload-pack=x")).hasMessageContaining("not a branch or tag");
    assertThatThrownBy(() -> parse("/srv/../etc")).hasMessageContaining("normalised");
    assertThatThrownBy(() -> parse("")).hasMessageContaining("empty buildpack");
    assertThatThrownBy(() -> parse("https://example.com/bp.tgz#main")).hasMessageContaining("no #ref");
  }

  @Test
  void cacheKeysAreReadableAndDifferPerSource() {
    String a = CustomBuildpack.key(parse("https://example.com/a/bp.git"));
    String b = CustomBuildpack.key(parse("https://example.com/b/bp.git"));
    assertThat(a).startsWith("example.com-a-bp.git-").matches("[A-Za-z0-9._-]+");
    assertThat(a).isNotEqualTo(b);
  }
}
