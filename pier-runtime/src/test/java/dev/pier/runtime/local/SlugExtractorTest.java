package dev.pier.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlugExtractorTest {
  @TempDir Path tmp;

  @Test
  void keepsExecutableBitsSymlinksAndHardLinks() throws IOException {
    Path slug =
        Slug.create()
            .dir("./bin")
            .file("./bin/start", "#!/bin/sh\necho hi\n", 0755)
            .file("README", "read me")
            .symlink("node_modules/.bin/start", "../../bin/start")
            .hardlink("COPY", "README")
            .writeTo(tmp.resolve("slug.tar.gz"));
    Path app = Files.createDirectory(tmp.resolve("app"));

    SlugExtractor.extract(slug, app);

    assertThat(app.resolve("bin/start")).isExecutable().hasContent("#!/bin/sh\necho hi");
    assertThat(Files.isExecutable(app.resolve("README"))).isFalse();
    assertThat(Files.isSymbolicLink(app.resolve("node_modules/.bin/start"))).isTrue();
    assertThat(Files.readSymbolicLink(app.resolve("node_modules/.bin/start")))
        .isEqualTo(Path.of("../../bin/start"));
    assertThat(app.resolve("node_modules/.bin/start")).hasContent("#!/bin/sh\necho hi");
    assertThat(app.resolve("COPY")).hasContent("read me");
  }

  @Test
  void refusesEntriesClimbingOutOfTheDirectory() throws IOException {
    Path slug = Slug.create().file("a/../../evil", "x").writeTo(tmp.resolve("slug.tar.gz"));
    Path app = Files.createDirectory(tmp.resolve("app"));

    assertThatThrownBy(() -> SlugExtractor.extract(slug, app))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("a/../../evil");
    assertThat(tmp.resolve("evil")).doesNotExist();
  }

  @Test
  void refusesAbsoluteEntries() throws IOException {
    Path target = tmp.resolve("absolute");
    Path slug = Slug.create().file(target.toString(), "x").writeTo(tmp.resolve("slug.tar.gz"));
    Path app = Files.createDirectory(tmp.resolve("app"));

    assertThatThrownBy(() -> SlugExtractor.extract(slug, app)).isInstanceOf(IOException.class);
    assertThat(target).doesNotExist();
  }

  @Test
  void refusesToWriteThroughASymlinkPointingOutside() throws IOException {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Path slug =
        Slug.create()
            .symlink("link", outside.toString())
            .file("link/evil", "x")
            .writeTo(tmp.resolve("slug.tar.gz"));
    Path app = Files.createDirectory(tmp.resolve("app"));

    assertThatThrownBy(() -> SlugExtractor.extract(slug, app))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic link");
    assertThat(outside.resolve("evil")).doesNotExist();
  }

  @Test
  void fileReplacingASymlinkIsWrittenInPlaceNotThroughTheLink() throws IOException {
    Path victim = Files.writeString(tmp.resolve("victim"), "original");
    Path slug =
        Slug.create()
            .symlink("config", victim.toString())
            .file("config", "from slug")
            .writeTo(tmp.resolve("slug.tar.gz"));
    Path app = Files.createDirectory(tmp.resolve("app"));

    SlugExtractor.extract(slug, app);

    assertThat(victim).hasContent("original");
    assertThat(Files.isSymbolicLink(app.resolve("config"))).isFalse();
    assertThat(app.resolve("config")).hasContent("from slug");
  }
}
