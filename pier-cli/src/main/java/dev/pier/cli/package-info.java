/**
 * {@code pier}, the Heroku-style command line client. It talks only to the REST API described in
 * {@code docs/api.md}, over {@link java.net.http.HttpClient}.
 *
 * <p>Layout: {@link dev.pier.cli.PierCli} is the entry point and wires picocli; each
 * {@code *Command(s)} class is one topic of user-visible commands ({@code apps}, {@code ps},
 * {@code config}, ...); {@link dev.pier.cli.ApiClient} is the only class that speaks HTTP;
 * {@link dev.pier.cli.Credentials}, {@link dev.pier.cli.CredentialsStore} and
 * {@link dev.pier.cli.Netrc} own the files under {@code $HOME}; {@link dev.pier.cli.Git} is the
 * only class that runs {@code git}. Every user-facing failure is a {@link dev.pier.cli.CliException}
 * printed once as {@code " !     message"}.
 */
package dev.pier.cli;
