/**
 * The build stage: a pushed source tree in, a slug (gzipped tar of the built app) and its process
 * types out, with Heroku-style output streamed as it happens.
 *
 * <pre>
 *   Builder.build(request, out)
 *     read Procfile, app.yaml      (Procfile, AppYaml: errors name the file and line;
 *                                   ScalingKeys: automatic_scaling, manual_scaling, resources;
 *                                   HandlerKeys: handlers; HealthCheckKeys: liveness_check,
 *                                   readiness_check.check_interval_sec)
 *     detect buildpack             (explicit order: nodejs if package.json, procfile if Procfile)
 *     chown source + cache         (to the app's uid, when Pier is root)
 *     Buildpack.compile(ctx)       (every command via BuildContext.run: Sandbox as the app's uid,
 *                                   /app = source, /cache = per-app cache, step timeout kills the tree)
 *     resolve process types        (web: Procfile, else app.yaml entrypoint, else buildpack default)
 *     HandlerFiles.check           (every static_dir is a directory of the built app)
 *     SlugWriter                   (tar.gz without .git, modes and symlinks kept)
 *   -> BuildResult.Succeeded(slug, processTypes, env, buildpack, slugBytes, readinessPath,
 *                            scaling) | Failed(reason)
 * </pre>
 *
 * <p>User mistakes surface as {@link dev.pier.build.BuildFailure} inside the stage and as {@link
 * dev.pier.build.BuildResult.Failed} to callers, with a one-sentence reason that is also the last
 * warn line of the output. {@link dev.pier.build.AppScaling} carries what app.yaml says
 * about counts, autoscaling and sizes to the server, which applies it to the formation when it
 * creates the release. {@link dev.pier.build.AppServing} (handlers and health checks) is not
 * carried: the server reads it back from the app.yaml in the slug. Buildpacks live in sub-packages ({@code nodejs}, {@code procfile}).
 */
package dev.pier.build;
