package dev.pier.cli;

import dev.pier.model.AppName;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which app an app-scoped command targets: {@code -a APP} when given, else the app named by
 * the URL of the git remote {@code pier} of the working directory ({@code .../git/NAME.git}).
 */
final class AppResolver {
  static final String DEFAULT_REMOTE = "pier";
  private static final Pattern GIT_URL_APP = Pattern.compile(".*/git/([^/]+?)\\.git/?");

  private final Git git;

  AppResolver(Git git) {
    this.git = git;
  }

  /**
   * Returns the app name, validated as an {@link AppName}.
   *
   * @throws CliException when no app can be found or the name is invalid
   */
  String resolve(String explicit, Path cwd) {
    String name = explicit;
    if (name == null) {
      name = git.remoteUrl(cwd, DEFAULT_REMOTE).flatMap(AppResolver::appFromGitUrl).orElse(null);
    }
    if (name == null) {
      throw new CliException(
          "No app specified: use -a APP (or run inside a directory with a `pier` git remote)");
    }
    return validName(name);
  }

  /** Returns NAME from a git URL of the form {@code http://HOST:PORT/git/NAME.git}. */
  static Optional<String> appFromGitUrl(String url) {
    Matcher matcher = GIT_URL_APP.matcher(url.strip());
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** Checks an app name locally, so a typo never reaches the server as a strange URL. */
  static String validName(String name) {
    try {
      return AppName.of(name).value();
    } catch (IllegalArgumentException e) {
      throw new CliException(capitalize(e.getMessage()));
    }
  }

  private static String capitalize(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
