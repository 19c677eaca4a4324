package dev.pier.build.procfile;

import dev.pier.build.BuildContext;
import dev.pier.build.Buildpack;
import dev.pier.build.Procfile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Builds a "generic" app: one with a Procfile and nothing Pier knows how to compile. Nothing runs
 * at build time; the slug is the source as pushed and the Procfile's commands run as they are.
 */
public final class ProcfileBuildpack implements Buildpack {
  public static final String NAME = "procfile";

  @Override
  public String name() {
    return NAME;
  }

  /** No app.yaml runtime: a Procfile app says what it runs itself. */
  @Override
  public java.util.List<String> runtimes() {
    return java.util.List.of();
  }

  @Override
  public boolean detect(Path sourceDir) {
    return Files.exists(sourceDir.resolve(Procfile.FILE_NAME), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void compile(BuildContext ctx) {
    ctx.out().info("No build step: the Procfile commands run as they are");
  }
}
