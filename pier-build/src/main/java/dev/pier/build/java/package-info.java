/**
 * The Java buildpack: detects {@code pom.xml} (Maven) and {@code build.gradle(.kts)} (Gradle),
 * picks an installed JDK from {@code system.properties} or app.yaml, builds in the sandbox with
 * a per-app Maven repository in the build cache, and starts the single runnable jar with heap
 * flags sized to the instance's memory limit.
 */
package dev.pier.build.java;
