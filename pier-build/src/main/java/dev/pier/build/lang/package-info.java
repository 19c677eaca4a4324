/**
 * Small helpers the language buildpacks ({@code java}, {@code python}, {@code go}) share: looking
 * at source files before a build without following symlinks, reading app.yaml's runtime, and
 * remembering the line of a tool's output that names why it failed.
 */
package dev.pier.build.lang;
