package dev.pier.cli;

import java.net.URI;
import java.nio.file.Path;

/**
 * Points git remotes at apps so that {@code git push} authenticates however the user logged in:
 * the remote's URL is on the API URL the CLI uses (the host the user typed, which is the host in
 * {@code ~/.netrc}), and where the launcher's path is known ({@code PIER_LAUNCHER}, set by
 * {@code bin/pier}), {@code pier git:credential} is configured as the remote's git credential
 * helper, which answers with the token from {@code PIER_API_TOKEN} or {@code pier login}.
 */
final class GitRemotes {
  static final String LAUNCHER_ENV = "PIER_LAUNCHER";

  private final CliContext context;

  GitRemotes(CliContext context) {
    this.context = context;
  }

  /**
   * The app's repository URL on the API the CLI talks to: the server's path for it (from {@code
   * serverGitUrl}) on the scheme, host and port of {@code api}.
   */
  static String remoteUrl(String api, String serverGitUrl) {
    URI base = URI.create(api);
    URI git = URI.create(serverGitUrl);
    String prefix = base.getPath() == null ? "" : base.getPath();
    return base.getScheme() + "://" + base.getRawAuthority() + prefix + git.getRawPath();
  }

  /**
   * Adds or updates {@code remote} in {@code dir} for the app whose server git URL is {@code
   * serverGitUrl}; returns the URL set and whether the remote was new.
   */
  Set set(Path dir, String remote, String serverGitUrl) {
    Credentials credentials = Credentials.resolve(context.env(), CredentialsStore.in(context.home()));
    String url = remoteUrl(credentials.api(), serverGitUrl);
    boolean added = context.git().setRemote(dir, remote, url);
    String launcher = context.env(LAUNCHER_ENV);
    if (launcher != null) {
      context.git().setCredentialHelper(dir, credentials.api(),
          "!'" + launcher.replace("'", "'\\''") + "' git:credential");
    }
    return new Set(url, added);
  }

  /** What {@link #set} did. */
  record Set(String url, boolean added) {}
}
