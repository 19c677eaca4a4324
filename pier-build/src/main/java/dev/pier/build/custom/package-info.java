/**
 * Custom buildpacks written to Heroku's buildpack API ({@code bin/detect}, {@code bin/compile},
 * {@code bin/release}), from a git URL, a tarball or a directory on the server: {@link
 * BuildpackSource} parses where one comes from, {@link BuildpackFetcher} brings it to the host
 * (git with a timeout and a size cap; tarballs are unpacked in the sandbox), {@link
 * CustomBuildpack} runs its scripts in the build sandbox as the app's user and {@link
 * ReleaseYaml} reads what {@code bin/release} prints.
 */
package dev.pier.build.custom;
