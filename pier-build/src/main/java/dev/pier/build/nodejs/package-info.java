/**
 * The Node.js buildpack: detects {@code package.json}; checks {@code engines.node}, installs with
 * devDependencies ({@code npm ci} or {@code npm install}), runs the build script and prunes
 * devDependencies, all sandboxed, with the npm cache in the app's build cache.
 */
package dev.pier.build.nodejs;
